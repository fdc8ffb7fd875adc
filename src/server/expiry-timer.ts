// A timer aimed at the next expiry (not a fixed poll): when it fires, an empty write transaction
// runs, whose first step releases whatever has lapsed.
//
// Two things it must survive:
// - The wall clock jumping forward: Node's timers count elapsed time, so a timer aimed 15 minutes
//   ahead would still wait 15 minutes after the clock jumped past the expiry. The timer never
//   waits longer than RECHECK_MS, and each time it fires it asks the clock again.
// - A sweep that throws (the database locked past its busy timeout, a full disk): the error is
//   logged and the sweep retried after a growing delay, instead of an uncaught exception ending
//   the process (or, where the host catches those, the timer silently never firing again).
import type { Clock } from './clock.js'

/** The longest the timer waits before it looks at the clock again. */
export const RECHECK_MS = 30_000
/** The first retry after a sweep threw; it doubles up to RECHECK_MS. */
export const RETRY_MS = 1_000

export interface ExpiryTimerInput {
  /** When the next hold or order lapses (ms since the epoch), or null when nothing is timed. */
  next: () => number | null
  clock: Clock
  /** Releases what has lapsed. */
  sweep: () => void
  log: (message: string, error?: unknown) => void
}

export const createExpiryTimer = ({ next, clock, sweep, log }: ExpiryTimerInput) => {
  let timer: ReturnType<typeof setTimeout> | undefined
  let aimedAt: number | null = null
  let failures = 0
  let stopped = false

  const arm = (delayMs: number, fire: () => void): void => {
    if (stopped) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      fire()
    }, delayMs)
    timer.unref()
  }

  const due = (): void => {
    aimedAt = null
    try {
      const at = next()
      if (at !== null && at <= clock.now()) sweep()
      failures = 0
      schedule()
    } catch (error) {
      failures += 1
      const delay = Math.min(RECHECK_MS, RETRY_MS * 2 ** (failures - 1))
      log(`Releasing lapsed holds and orders failed; trying again in ${delay} ms.`, error)
      arm(delay, due)
    }
  }

  /** Aims the timer at the next expiry; called after every write. */
  const schedule = (): void => {
    if (stopped || failures > 0) return // a retry is already armed
    const at = next()
    if (at === aimedAt) return
    aimedAt = at
    if (at === null) {
      if (timer) clearTimeout(timer)
      timer = undefined
      return
    }
    arm(Math.min(RECHECK_MS, Math.max(0, at - clock.now())), due)
  }

  return {
    schedule,
    stop(): void {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
