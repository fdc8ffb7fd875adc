// A clock that tests move by hand.
import type { Clock } from '../../src/server/clock.js'

export interface ManualClock extends Clock {
  advance(ms: number): void
  set(ms: number): void
}

export const createManualClock = (start = Date.UTC(2026, 0, 1)): ManualClock => {
  let now = start
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    set: (ms) => {
      now = ms
    },
  }
}
