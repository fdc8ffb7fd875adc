// The real clock and timers, looked up on every call so that test fakes installed later apply.
import type { Timers } from './types.js'

/**
 * `globalThis.setTimeout`/`clearTimeout` and `Date.now`, the default `SyncOptions.timers`.
 *
 * @example
 * const handle = realTimers.setTimeout(() => console.log('later'), 100)
 * realTimers.clearTimeout(handle)
 */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  now: () => Date.now(),
}
