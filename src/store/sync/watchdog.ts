// A dead-man's switch: calls `onSilence` once when `kick()` has not been called for `ms`.
import type { Timers } from './types.js'

export interface Watchdog {
  /** Something arrived: restart the countdown. */
  kick(): void
  /** Stops for good; `onSilence` is not called after this. */
  stop(): void
}

/**
 * Starts counting at once.
 *
 * @example
 * const watchdog = createWatchdog(realTimers, 37_500, () => controller.abort())
 * for await (const chunk of body) watchdog.kick()
 */
export const createWatchdog = (timers: Timers, ms: number, onSilence: () => void): Watchdog => {
  let last = timers.now()
  let stopped = false
  let handle: unknown
  // `kick` only notes the time, so a busy stream costs no timer churn; the timer re-arms itself
  // for whatever is left of the quiet period.
  const check = (): void => {
    if (stopped) return
    const quiet = timers.now() - last
    if (quiet < ms) {
      handle = timers.setTimeout(check, ms - quiet)
      return
    }
    stopped = true
    onSilence()
  }
  handle = timers.setTimeout(check, ms)
  return {
    kick() {
      last = timers.now()
    },
    stop() {
      stopped = true
      timers.clearTimeout(handle)
    },
  }
}
