// Runs a command for a route: reads and checks the body, honours Idempotency-Key, and runs the
// change in one write transaction that also stores the answer for replays.
import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import { HEADERS, IDEMPOTENCY_KEY_PATTERN } from '../../actions/index.js'
import { canonicalJson } from '../canonical-json.js'
import type { Clock } from '../clock.js'
import type { Tx, Writer } from '../commands/writer.js'
import type { Db } from '../db/open.js'
import { ShelfsyncError } from '../errors.js'
import { readJson, refuseBody } from './body.js'
import type { AppEnv } from './env.js'
import { ifMatchForFingerprint } from './if-match.js'

export interface Answer {
  status: 200 | 201
  body: unknown
  headers?: Record<string, string>
}

interface StoredAnswer {
  fingerprint: string
  status: number
  body: string
  /** JSON of the answer's own headers (such as `ETag`). */
  headers: string
}

const mismatch = () =>
  new ShelfsyncError(
    'request/idempotency-mismatch',
    'This Idempotency-Key was used with another request; use a new key for a new request.',
  )

/** Keys forgotten per statement when sweeping. */
export const SWEEP_BATCH = 2_000

export const createCommandRunner = (input: {
  db: Db
  writer: Writer
  keyTtlMs: number
  /** The most keys kept; past it the oldest go, however young (see `sweepKeys`). */
  maxKeys: number
  clock: Clock
}) => {
  const { db, writer, keyTtlMs, maxKeys, clock } = input
  const inFlight = new Set<string>()
  // A key older than the retention is forgotten at once, even before the sweep drops it.
  const getKey = db.prepare(
    `SELECT fingerprint, status, body, headers FROM idempotency_keys
     WHERE user = ? AND key = ? AND created_at >= ?`,
  )
  // OR REPLACE: a forgotten key's row may still be there until the sweep.
  const putKey = db.prepare(
    `INSERT OR REPLACE INTO idempotency_keys (user, key, fingerprint, status, body, headers, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  // In batches, oldest first (the age index): a sweep never holds the server for long.
  const dropExpired = db.prepare(
    `DELETE FROM idempotency_keys WHERE rowid IN
     (SELECT rowid FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
  )
  const dropOldest = db.prepare(
    `DELETE FROM idempotency_keys WHERE rowid IN
     (SELECT rowid FROM idempotency_keys ORDER BY created_at LIMIT ?)`,
  )
  const countKeys = db.prepare('SELECT count(*) FROM idempotency_keys').pluck()

  // Through the context, so the answer keeps the headers set before the route (security-headers.ts).
  const respond = (
    c: Context<AppEnv>,
    status: number,
    body: string,
    headers: Record<string, string>,
  ) =>
    c.body(body, status as ContentfulStatusCode, { 'Content-Type': 'application/json', ...headers })

  async function run(c: Context<AppEnv>, work: (tx: Tx) => Answer): Promise<Response>
  async function run<S extends z.ZodType>(
    c: Context<AppEnv>,
    work: (tx: Tx, body: z.infer<S>) => Answer,
    schema: S,
  ): Promise<Response>
  async function run(
    c: Context<AppEnv>,
    work: (tx: Tx, body?: unknown) => Answer,
    schema?: z.ZodType,
  ): Promise<Response> {
    const { user } = c.get('identity')
    const key = c.req.header(HEADERS.idempotencyKey)
    if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ShelfsyncError(
        'request/invalid',
        'Idempotency-Key must be 1 to 128 visible ASCII characters.',
      )
    }
    // A command is its path and body: a query parameter is an unknown member like any other.
    if (new URL(c.req.url).search !== '') {
      throw new ShelfsyncError(
        'request/invalid',
        `${c.req.method} ${c.req.path} takes no query parameters; send what it needs in the body.`,
      )
    }
    const slot = key === undefined ? undefined : `${user}\n${key}`
    if (slot !== undefined && inFlight.has(slot)) {
      throw new ShelfsyncError(
        'request/in-flight',
        'A request with this Idempotency-Key is still being carried out; retry once it has answered.',
      )
    }
    if (slot !== undefined) inFlight.add(slot)
    try {
      let body: { value: unknown; raw: unknown } | undefined
      try {
        body = schema ? readJson(c, schema) : refuseBody(c)
      } catch (error) {
        // A key is stored only with a request that was carried out, so its body was valid: one
        // that is not is another request's, whatever is wrong with it.
        const refused = error instanceof ShelfsyncError && error.code === 'request/invalid'
        if (refused && key !== undefined && getKey.get(user, key, clock.now() - keyTtlMs)) {
          throw mismatch()
        }
        throw error
      }
      // A condition is part of the request: the same key with another If-Match is another request.
      // (Added only when present, so keys stored before it still match their retries; written one
      // way, so W/"7" and "7" are the same condition.)
      const ifMatch = c.req.header(HEADERS.ifMatch)
      const fingerprintOf = (json: (raw: unknown) => string, condition = ifMatch) =>
        createHash('sha256')
          .update(`${c.req.method} ${c.req.path}\n${body === undefined ? '' : json(body.raw)}`)
          .update(condition === undefined ? '' : `\nIf-Match: ${condition}`)
          .digest('base64url')
      // Only a request with a key is fingerprinted.
      const fingerprint =
        key === undefined
          ? ''
          : fingerprintOf(canonicalJson, ifMatch && ifMatchForFingerprint(ifMatch))
      const result = await writer.runGrouped((tx) => {
        if (key !== undefined) {
          const stored = getKey.get(user, key, tx.now - keyTtlMs) as StoredAnswer | undefined
          if (stored) {
            // Keys stored before fingerprints took the body canonically hashed it in the sender's
            // member order, and before they took If-Match one way (W/"7" as "7") its raw text;
            // their retries (a deploy's 503, then the same request) still match. Such keys are
            // all forgotten 24 hours after the upgrade, and these with them.
            const matches =
              stored.fingerprint === fingerprint ||
              stored.fingerprint === fingerprintOf(canonicalJson) ||
              stored.fingerprint === fingerprintOf(JSON.stringify)
            if (!matches) throw mismatch()
            const headers = JSON.parse(stored.headers) as Record<string, string>
            return { replayed: true, status: stored.status, text: stored.body, headers }
          }
        }
        const answer = work(tx, body?.value)
        const text = JSON.stringify(answer.body)
        const headers = answer.headers ?? {}
        // Only changes are remembered: a refused request changed nothing and may be retried.
        if (key !== undefined) {
          putKey.run(user, key, fingerprint, answer.status, text, JSON.stringify(headers), tx.now)
        }
        return { replayed: false, status: answer.status, text, headers }
      })
      const headers: Record<string, string> = { ...result.headers }
      if (result.replayed) headers[HEADERS.idempotentReplayed] = 'true'
      return respond(c, result.status, result.text, headers)
    } finally {
      if (slot !== undefined) inFlight.delete(slot)
    }
  }

  return {
    run,
    /**
     * One batch of forgetting: up to `batch` keys older than the retention, or, when none is, the
     * oldest keys past `maxKeys`. Answers how many went; call it again while that is `batch`.
     * The cap bounds the disk a user sending commands that change nothing (each keeps its key)
     * can fill; a retry comes within seconds, long before a million newer keys pile up.
     */
    sweepKeys(now: number, batch = SWEEP_BATCH): number {
      const expired = dropExpired.run(now - keyTtlMs, batch).changes
      if (expired > 0) return expired
      const excess = (countKeys.get() as number) - maxKeys
      return excess > 0 ? dropOldest.run(Math.min(excess, batch)).changes : 0
    },
  }
}

export type CommandRunner = ReturnType<typeof createCommandRunner>
