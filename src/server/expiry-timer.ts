// A timer aimed at the next expiry (not a fixed poll): when it fires, an empty write transaction
// runs, whose first step releases whatever has lapsed.
import type { Clock } from './clock.js'
import { nextExpiry } from './commands/expiry.js'
import type { Rows } from './db/rows.js'

const MAX_DELAY = 2 ** 31 - 1

export const createExpiryTimer = (input: { rows: Rows; clock: Clock; sweep: () => void }) => {
  const { rows, clock, sweep } = input
  let timer: ReturnType<typeof setTimeout> | undefined
  let aimedAt: number | null = null
  let stopped = false

  const schedule = (): void => {
    if (stopped) return
    const next = nextExpiry({ rows })
    if (next === aimedAt) return
    if (timer) clearTimeout(timer)
    timer = undefined
    aimedAt = next
    if (next === null) return
    timer = setTimeout(
      () => {
        timer = undefined
        aimedAt = null
        sweep()
        schedule()
      },
      Math.min(MAX_DELAY, Math.max(0, next - clock.now())),
    )
    timer.unref()
  }

  return {
    schedule,
    stop(): void {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
