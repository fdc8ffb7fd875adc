// The expiry timer on its own, with Node's timers and Date faked (vi.setSystemTime is a wall clock
// jump, which fires no timer): it fires at the expiry, notices a wall clock that jumped forward,
// and outlives a sweep that throws.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createExpiryTimer, RECHECK_MS, RETRY_MS } from '../../src/server/expiry-timer.js'

const MINUTE = 60_000

/** A shop with one timed hold: sweeping releases it once it is due. */
const setup = (holdFor: number) => {
  const clock = { now: () => Date.now() }
  let expiresAt: number | null = clock.now() + holdFor
  const swept: number[] = []
  const logged: Array<{ message: string; error: unknown }> = []
  let failuresLeft = 0
  const timer = createExpiryTimer({
    next: () => expiresAt,
    clock,
    sweep: () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1
        throw new Error('database is locked')
      }
      swept.push(clock.now())
      if (expiresAt !== null && expiresAt <= clock.now()) expiresAt = null
    },
    log: (message, error) => logged.push({ message, error }),
  })
  /** Node's timers and the wall clock move together, as they do when nothing jumps. */
  const elapse = (ms: number) => {
    vi.advanceTimersByTime(ms)
  }
  return {
    clock,
    timer,
    swept,
    logged,
    elapse,
    failNext: (times: number) => {
      failuresLeft = times
    },
    holdUntil: (at: number | null) => {
      expiresAt = at
    },
    expiresAt: () => expiresAt,
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the expiry timer', () => {
  it('sweeps once when the hold is due, and not before', () => {
    const { timer, swept, elapse, clock } = setup(15 * MINUTE)
    const due = clock.now() + 15 * MINUTE
    timer.schedule()
    elapse(15 * MINUTE - 1)
    expect(swept).toEqual([])
    elapse(1)
    expect(swept).toEqual([due])
    elapse(60 * MINUTE)
    expect(swept).toEqual([due])
    timer.stop()
  })

  it('notices a wall clock that jumped past the expiry within RECHECK_MS', () => {
    const { timer, swept, clock } = setup(15 * MINUTE)
    timer.schedule()
    vi.setSystemTime(clock.now() + 20 * MINUTE) // the wall clock jumps; no timer fires
    vi.advanceTimersByTime(RECHECK_MS - 1)
    expect(swept).toEqual([])
    vi.advanceTimersByTime(1)
    expect(swept).toHaveLength(1)
    timer.stop()
  })

  it('logs a sweep that throws and tries again after 1 s, then 2 s, until it works', () => {
    const { timer, swept, logged, elapse, failNext, expiresAt } = setup(MINUTE)
    failNext(2)
    timer.schedule()
    expect(() => elapse(MINUTE)).not.toThrow()
    expect(logged).toHaveLength(1)
    expect(logged[0]?.message).toContain(`${RETRY_MS} ms`)
    expect(String(logged[0]?.error)).toContain('database is locked')
    elapse(RETRY_MS)
    expect(logged).toHaveLength(2)
    expect(logged[1]?.message).toContain(`${2 * RETRY_MS} ms`)
    expect(swept).toEqual([])
    timer.schedule() // a write in the meantime does not cut the retry short or double it
    elapse(2 * RETRY_MS - 1)
    expect(swept).toEqual([])
    elapse(1)
    expect(swept).toHaveLength(1)
    expect(expiresAt()).toBeNull()
    timer.stop()
  })

  it('aims at the next expiry again after a retry that finds nothing due', () => {
    const { timer, swept, logged, elapse, failNext, holdUntil, clock } = setup(MINUTE)
    failNext(1)
    timer.schedule()
    elapse(MINUTE)
    expect(logged).toHaveLength(1)
    // Another write released the hold meanwhile, and a new one lapses in 5 minutes.
    const next = clock.now() + 5 * MINUTE
    holdUntil(next)
    elapse(RETRY_MS)
    expect(swept).toEqual([])
    elapse(next - clock.now())
    expect(swept).toEqual([next])
    timer.stop()
  })

  it('stops: nothing fires after stop()', () => {
    const { timer, swept, elapse } = setup(MINUTE)
    timer.schedule()
    timer.stop()
    elapse(10 * MINUTE)
    expect(swept).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})
