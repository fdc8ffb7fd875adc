import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_BACKOFF,
  fullJitter,
  MAX_DELAY_MS,
  MIN_FAILURE_BASE_MS,
  parseRetryAfter,
  reconnectDelay,
  sleep,
} from '../../../src/store/sync/backoff.js'
import { realTimers } from '../../../src/store/sync/timers.js'

describe('fullJitter', () => {
  it.each([
    [0, 1000],
    [1, 2000],
    [2, 4000],
    [3, 8000],
    [4, 16_000],
    [5, 30_000],
    [40, 30_000],
  ])('at attempt %i the longest wait is %i ms (capped at 30 s)', (attempt, longest) => {
    expect(fullJitter(attempt, DEFAULT_BACKOFF, 1)).toBe(longest)
    expect(fullJitter(attempt, DEFAULT_BACKOFF, 0.25)).toBe(longest * 0.25)
    expect(fullJitter(attempt, DEFAULT_BACKOFF, 0)).toBe(0)
  })

  it('stays a number for a zero base and a huge attempt count', () => {
    expect(fullJitter(10_000, { baseMs: 0, capMs: 30_000 }, 0.5)).toBe(0)
    expect(fullJitter(10_000, DEFAULT_BACKOFF, 0.5)).toBe(15_000)
  })
})

describe('reconnectDelay', () => {
  const delay = (input: Partial<Parameters<typeof reconnectDelay>[0]>) =>
    reconnectDelay(
      { attempt: 0, clean: false, serverRetryMs: null, roll: 0.5, ...input },
      DEFAULT_BACKOFF,
    )

  it("waits exactly the server's retry after a healthy stream ends cleanly", () => {
    expect(delay({ clean: true, serverRetryMs: 2345, roll: 0.99 })).toBe(2345)
    expect(delay({ clean: true, serverRetryMs: 2345, roll: 0 })).toBe(2345)
  })

  it('jitters under the base after a clean end when the server sent no retry', () => {
    expect(delay({ clean: true, roll: 0.3 })).toBe(300)
  })

  it("uses the server's retry as the base for failures", () => {
    expect(delay({ attempt: 2, serverRetryMs: 3000, roll: 0.5 })).toBe(6000)
  })

  it('raises the cap to a server retry longer than it', () => {
    expect(delay({ attempt: 3, serverRetryMs: 60_000, roll: 1 })).toBe(60_000)
  })

  it('backs off from at least MIN_FAILURE_BASE_MS after failures when the server said retry: 0', () => {
    expect(MIN_FAILURE_BASE_MS).toBeGreaterThan(0)
    expect(delay({ attempt: 0, serverRetryMs: 0, roll: 1 })).toBe(MIN_FAILURE_BASE_MS)
    expect(delay({ attempt: 3, serverRetryMs: 0, roll: 1 })).toBe(8 * MIN_FAILURE_BASE_MS)
    expect(delay({ attempt: 40, serverRetryMs: 0, roll: 1 })).toBe(DEFAULT_BACKOFF.capMs)
    // A clean end after a healthy stream still waits exactly what the server said.
    expect(delay({ clean: true, serverRetryMs: 0 })).toBe(0)
  })

  it('never waits longer than a timer can hold, whatever retry: or Retry-After said', () => {
    expect(delay({ retryAfterMs: 99_999_999_000 })).toBe(MAX_DELAY_MS)
    expect(delay({ attempt: 9, serverRetryMs: 99_999_999_999, roll: 1 })).toBe(MAX_DELAY_MS)
    expect(delay({ clean: true, serverRetryMs: 99_999_999_999 })).toBe(MAX_DELAY_MS)
  })

  it('waits at least Retry-After', () => {
    expect(delay({ retryAfterMs: 7000, roll: 0.1 })).toBe(7000)
    expect(delay({ attempt: 5, retryAfterMs: 1000, roll: 1 })).toBe(30_000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0)

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10_000)
    expect(parseRetryAfter(new Date(now - 10_000).toUTCString(), now)).toBe(0)
  })

  it('gives null for nothing or nonsense', () => {
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
  })
})

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('resolves after the delay, not before', async () => {
    let done = false
    void sleep(1000, new AbortController().signal, realTimers).then(() => {
      done = true
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toBe(true)
  })

  it('rejects with the reason and clears its timer when aborted', async () => {
    const controller = new AbortController()
    const slept = sleep(1000, controller.signal, realTimers)
    expect(vi.getTimerCount()).toBe(1)
    controller.abort(new Error('stopped'))
    await expect(slept).rejects.toThrow('stopped')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('holds a wait longer than a timer can as the longest it can, not as 1 ms', async () => {
    let done = false
    void sleep(MAX_DELAY_MS * 10, new AbortController().signal, realTimers).then(() => {
      done = true
    })
    await vi.advanceTimersByTimeAsync(1000)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(MAX_DELAY_MS)
    expect(done).toBe(true)
  })

  it('rejects at once when the signal is already aborted', async () => {
    await expect(sleep(1000, AbortSignal.abort(new Error('gone')), realTimers)).rejects.toThrow(
      'gone',
    )
    expect(vi.getTimerCount()).toBe(0)
  })
})
