// Writes per user: a token bucket each, refilled continuously; past it, 429 limit/rate with
// Retry-After. In memory, per server process.
import type { MiddlewareHandler } from 'hono'
import type { Clock } from '../clock.js'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv } from './env.js'

export interface RateLimit {
  /** Sustained writes per second per user. */
  perSecond: number
  /** Writes a user may make at once before the rate applies. */
  burst: number
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * A token bucket per key, refilled continuously on `clock`. `take(key)` spends one and answers
 * null, or answers the whole seconds to wait when the bucket is empty.
 */
export const createRateBuckets = (limit: RateLimit, clock: Clock) => {
  const buckets = new Map<string, { tokens: number; at: number }>()
  let calls = 0
  return {
    take(key: string): number | null {
      const now = clock.now()
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now }
      bucket.tokens = Math.min(
        limit.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond,
      )
      bucket.at = now
      buckets.set(key, bucket)
      // Forget full buckets now and then, so idle users cost nothing.
      if (++calls % 10_000 === 0) {
        for (const [name, b] of buckets) {
          if (b !== bucket && b.tokens + ((now - b.at) / 1000) * limit.perSecond >= limit.burst)
            buckets.delete(name)
        }
      }
      if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / limit.perSecond)
      bucket.tokens -= 1
      return null
    },
  }
}

/**
 * Full reads per user, a snapshot read (`GET /api/snapshot`, or a stream opened without a position)
 * or a stream that may replay the retained log: past the limit, 429 `limit/rate` with Retry-After.
 * Returns the check; call it before the read.
 */
export const createReadLimit = (limit: RateLimit, clock: Clock): ((user: string) => void) => {
  const buckets = createRateBuckets(limit, clock)
  return (user) => {
    const waitSeconds = buckets.take(user)
    if (waitSeconds === null) return
    throw new ShelfsyncError(
      'limit/rate',
      `Too many snapshots and streams at once: at most ${limit.perSecond} a second (bursts of ${limit.burst}).`,
      { retryAfter: waitSeconds },
      { 'Retry-After': String(waitSeconds) },
    )
  }
}

export const limitWrites = (limit: RateLimit, clock: Clock): MiddlewareHandler<AppEnv> => {
  const buckets = createRateBuckets(limit, clock)
  return async (c, next) => {
    if (!WRITES.has(c.req.method)) return next()
    const waitSeconds = buckets.take(c.get('identity').user)
    if (waitSeconds !== null) {
      throw new ShelfsyncError(
        'limit/rate',
        `Too many changes at once: at most ${limit.perSecond} a second (bursts of ${limit.burst}).`,
        { retryAfter: waitSeconds },
        { 'Retry-After': String(waitSeconds) },
      )
    }
    return next()
  }
}
