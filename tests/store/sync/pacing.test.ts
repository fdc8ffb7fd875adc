// The pacing rule for a costly live stream: applying may take a third of the wall time, with
// credit for bursts; backlogs are read flat out.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createPacer,
  PACE_BACKLOG_CHARS,
  PACE_CREDIT_MS,
  PACE_MAX_MS,
  PACE_SHARE,
} from '../../../src/store/sync/pacing.js'

/**
 * A stream of commits of `chars` characters arriving every `everyMs`, each batch of them costing
 * `costMs`, for `seconds`: the share of wall time spent applying, the batches, the longest wait.
 */
const simulate = (everyMs: number, costMs: number, seconds: number, chars = 200) => {
  const pacer = createPacer(0)
  let clock = 0
  let next = 0 // when the next commit arrives
  let applying = 0
  let batches = 0
  let longestWait = 0
  const end = seconds * 1000
  while (next < end) {
    clock = Math.max(clock, next)
    // Every commit that has arrived by now comes in this batch.
    let oldest = next
    let text = 0
    while (next <= clock && next < end) {
      oldest = Math.min(oldest, next)
      text += chars
      next += everyMs
    }
    longestWait = Math.max(longestWait, clock - oldest)
    clock += costMs
    applying += costMs
    batches++
    clock += pacer.pauseAfter(costMs, text, clock)
  }
  return { share: applying / clock, batches, longestWait }
}

describe('pacing a costly live stream', () => {
  it('never pauses a stream that stays within a third of the time', () => {
    // 10k products at 50 commits a second: 5 ms of every 20.
    const paced = simulate(20, 5, 10)
    expect(paced.batches).toBe(500)
    expect(paced.longestWait).toBe(0)
  })

  it('holds a busy stream to a third of the time, batching what arrives meanwhile', () => {
    // 10k products at 150 commits a second would take three quarters of the time unpaced.
    const paced = simulate(1000 / 150, 5, 10)
    expect(paced.share).toBeLessThanOrEqual(PACE_SHARE + PACE_CREDIT_MS / 10_000)
    expect(paced.batches).toBeLessThan(1500 / 2)
    expect(paced.longestWait).toBeLessThanOrEqual(PACE_MAX_MS)
  })

  it('keeps to the share and the longest pause whatever the rate and the cost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 60 }),
        (everyMs, costMs) => {
          // Commits small enough that no batch reads as a backlog.
          const { share, longestWait } = simulate(everyMs, costMs, 5, 1)
          // Past the credit, applying takes a third of the time unless one batch alone is
          // longer than the longest pause allows for.
          const bound = Math.max(PACE_SHARE, costMs / (costMs + PACE_MAX_MS))
          expect(share).toBeLessThanOrEqual(bound + PACE_CREDIT_MS / 5_000 + 1e-9)
          expect(longestWait).toBeLessThanOrEqual(PACE_MAX_MS + costMs)
        },
      ),
    )
  })

  it('lets a burst through on credit, then pauses until the debt is paid', () => {
    const pacer = createPacer(0)
    expect(pacer.pauseAfter(30, 300, 30)).toBe(0) // credit 50 + 10 - 30 = 20
    expect(pacer.pauseAfter(30, 300, 60)).toBe(0) // 20 + 10 - 30 = 0
    expect(pacer.pauseAfter(30, 300, 90)).toBeCloseTo(60) // 0 + 10 - 30 = -20
    // The pause refills the credit to nothing; a batch after a long quiet spell has it all.
    expect(pacer.pauseAfter(1, 300, 10_000)).toBe(0)
    expect(pacer.pauseAfter(500, 300, 10_500)).toBeCloseTo(PACE_MAX_MS)
  })

  it('makes a single stalled batch cost one longest pause, not a pause for every batch after it', () => {
    const pacer = createPacer(0)
    let clock = 3_000
    expect(pacer.pauseAfter(3_000, 300, clock)).toBeCloseTo(PACE_MAX_MS)
    clock += PACE_MAX_MS
    let paused = 0
    for (let i = 0; i < 50; i++) {
      clock += 20
      const pause = pacer.pauseAfter(1, 300, clock)
      paused += pause
      clock += pause
    }
    expect(paused).toBeLessThan(5)
  })

  it('never pauses longer than it is told, a quarter of the watchdog in the connection', () => {
    const pacer = createPacer(0, 25)
    expect(pacer.pauseAfter(500, 300, 500)).toBeCloseTo(25)
    expect(createPacer(0, 1_000).pauseAfter(500, 300, 500)).toBeCloseTo(PACE_MAX_MS)
  })

  it('reads a backlog flat out, and it spends no credit', () => {
    const pacer = createPacer(0)
    expect(pacer.pauseAfter(1_000, PACE_BACKLOG_CHARS, 1_000)).toBe(0)
    expect(pacer.pauseAfter(40, 300, 1_040)).toBe(0)
  })
})
