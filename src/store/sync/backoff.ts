// How long the connection waits before it tries again, and an abortable sleep to wait that long.
//
// The rule. base = the last `retry:` the server sent (already spread by the server), else
// `backoff.baseMs` (1000); cap = max(`backoff.capMs` (30000), base); attempt = failures since a
// stream last proved healthy (delivered an event or a heartbeat, and with `batch`, the batch
// of it returned), 0 for the first.
//   - A healthy stream that ends cleanly: wait exactly `retry:` (random() * base when the server
//     sent none); this is not a failure, so attempt stays 0.
//   - Any other failure (network, 5xx, 429, wrong content type, a stream that ends before it proved
//     healthy, watchdog, bad frame, a throwing handler): wait random() * min(cap, base * 2^attempt)
//     (full jitter), then attempt += 1.
//   - An answer with `Retry-After` (429, 503): wait at least that long.
// Two bounds keep a server's odd values from making a hot loop: failures back off from at least
// MIN_FAILURE_BASE_MS (a `retry: 0` would otherwise double 0 forever), and no wait is longer than
// a timer can hold (MAX_DELAY_MS, about 24.8 days: a timer set for longer fires at once).
import type { Timers } from './types.js'

export interface BackoffPolicy {
  baseMs: number
  capMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 30_000 }

// Past 2^30 every useful cap is reached; clamping also keeps base 0 from making 0 * Infinity.
const MAX_EXPONENT = 30
/** The least base a failure backs off from, whatever `retry:` said. */
export const MIN_FAILURE_BASE_MS = 250
/** The longest wait setTimeout can hold (2^31 - 1 ms). */
export const MAX_DELAY_MS = 2 ** 31 - 1

/**
 * Full-jitter exponential backoff: `roll * min(capMs, baseMs * 2 ** attempt)`.
 *
 * @example
 * fullJitter(3, { baseMs: 1000, capMs: 30_000 }, 0.5) // 4000
 */
export const fullJitter = (attempt: number, policy: BackoffPolicy, roll: number): number =>
  roll * Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, MAX_EXPONENT))

export interface DelayInput {
  /** Failures before this one since the stream was last healthy. */
  attempt: number
  /** A healthy stream ended cleanly (not a failure). */
  clean: boolean
  /** The last `retry:` value the server sent, if any. */
  serverRetryMs: number | null
  /** `Retry-After` of the answer, in ms, if it had one. */
  retryAfterMs?: number | null | undefined
  /** A draw of `random()` in [0, 1). */
  roll: number
}

/**
 * The wait before the next attempt, by the rule at the top of this file.
 *
 * @example
 * const clean = { attempt: 0, clean: true, serverRetryMs: 2500, roll: 0.9 }
 * reconnectDelay(clean, DEFAULT_BACKOFF) // 2500
 * const third = { attempt: 2, clean: false, serverRetryMs: null, roll: 0.5 }
 * reconnectDelay(third, DEFAULT_BACKOFF) // 2000
 */
export const reconnectDelay = (input: DelayInput, policy: BackoffPolicy): number => {
  const baseMs = input.serverRetryMs ?? policy.baseMs
  const failureBaseMs = Math.max(MIN_FAILURE_BASE_MS, baseMs)
  const delay = input.clean
    ? (input.serverRetryMs ?? input.roll * baseMs)
    : fullJitter(
        input.attempt,
        { baseMs: failureBaseMs, capMs: Math.max(policy.capMs, failureBaseMs) },
        input.roll,
      )
  return Math.min(MAX_DELAY_MS, Math.max(delay, input.retryAfterMs ?? 0))
}

/**
 * Reads a `Retry-After` header (delay-seconds or an HTTP date) as milliseconds from `now`.
 * `null` when absent or unreadable.
 *
 * @example
 * parseRetryAfter('7', Date.now()) // 7000
 */
export const parseRetryAfter = (value: string | null, now: number): number | null => {
  if (value === null) return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 *
 * @example
 * const controller = new AbortController()
 * await sleep(500, controller.signal, realTimers)
 */
export const sleep = (
  ms: number,
  signal: AbortSignal,
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>,
): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle)
      reject(signal.reason)
    }
    const handle = timers.setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.min(ms, MAX_DELAY_MS),
    )
    signal.addEventListener('abort', onAbort, { once: true })
  })
