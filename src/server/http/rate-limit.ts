// Rates per user, writes and full reads: a token bucket each, refilled continuously; past it, 429
// limit/rate with Retry-After. In memory, per server process.
import type { MiddlewareHandler } from 'hono'
import type { Clock } from '../clock.js'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv } from './env.js'

export interface RateLimit {
  /** Sustained requests per second per user (more than 0; 0.5 is one every 2 s). */
  perSecond: number
  /** Requests a user may make at once before the rate applies (1 or more). */
  burst: number
}

/** Throws a TypeError naming `name` unless `limit` is a rate a bucket can keep. */
export const checkRateLimit = (name: string, limit: RateLimit): void => {
  const { perSecond, burst } = limit
  if (!(Number.isFinite(perSecond) && perSecond > 0) || !(Number.isFinite(burst) && burst >= 1)) {
    throw new TypeError(
      `limits.${name} must be { perSecond: a number above 0, burst: 1 or more }, got ${JSON.stringify(limit)}`,
    )
  }
}

/** "at most 20 a second (bursts of 60)", "one every 2 s (bursts of 30)", "one every 3.3 s (…)". */
const rateText = ({ perSecond, burst }: RateLimit): string => {
  const rate =
    perSecond >= 1
      ? `at most ${perSecond} a second`
      : `one every ${Math.round(10 / perSecond) / 10} s`
  return `${rate} (bursts of ${burst})`
}

/**
 * A token bucket per key, refilled continuously on `clock`. `take(key)` spends one and answers
 * null, or answers the whole seconds to wait when the bucket is empty.
 */
const createRateBuckets = (limit: RateLimit, clock: Clock) => {
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

/** A bucket-per-user check that throws 429 `limit/rate` for `what` ("changes") past `limit`. */
const createRateCheck = (what: string, limit: RateLimit, clock: Clock) => {
  const buckets = createRateBuckets(limit, clock)
  return (user: string): void => {
    const waitSeconds = buckets.take(user)
    if (waitSeconds === null) return
    throw new ShelfsyncError(
      'limit/rate',
      `Too many ${what} at once: ${rateText(limit)}.`,
      { retryAfter: waitSeconds },
      { 'Retry-After': String(waitSeconds) },
    )
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Full reads per user, a snapshot read (`GET /api/snapshot`, or a stream opened without a position)
 * or a stream that may replay the retained log: past the limit, 429 `limit/rate` with Retry-After.
 * Returns the check; call it before the read.
 */
export const createReadLimit = (limit: RateLimit, clock: Clock): ((user: string) => void) =>
  createRateCheck('snapshots and streams', limit, clock)

export const limitWrites = (limit: RateLimit, clock: Clock): MiddlewareHandler<AppEnv> => {
  const check = createRateCheck('changes', limit, clock)
  return async (c, next) => {
    if (!WRITES.has(c.req.method)) return next()
    check(c.get('identity').user)
    return next()
  }
}
