// @vitest-environment jsdom
// Hold countdowns on the server's clock: a device clock that is a minute slow does not stretch them.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CartPanel } from '../../src/ui/cart/cart-panel.js'
import { createHarness, TICKET } from './support/shop-harness.js'

const LOCAL_NOW = Date.UTC(2030, 0, 1, 12, 0, 0)
const SERVER_AHEAD_MS = 60_000

beforeEach(() => {
  vi.useFakeTimers({ now: LOCAL_NOW, toFake: ['setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const holdFor = (ms: number) => {
  const shop = createHarness()
  const serverTime = LOCAL_NOW + SERVER_AHEAD_MS
  shop.snapshot({
    products: [{ ...TICKET, held: 1 }],
    cart: [{ sku: TICKET.sku, qty: 1, expiresAt: serverTime + ms }],
    serverTime,
    receivedAt: LOCAL_NOW,
  })
  shop.render(<CartPanel />)
  return shop
}

const shown = () => screen.getByTestId('countdown').querySelector('time')?.textContent

describe('the hold countdown', () => {
  it('counts from the server clock, not the device clock', () => {
    holdFor(90_000)
    // The device is a minute behind the server; 1:30 is left on the server's clock, not 2:30.
    expect(shown()).toBe('1:30 left')
  })

  it('ticks down every second', () => {
    holdFor(90_000)
    act(() => vi.advanceTimersByTime(1000))
    expect(shown()).toBe('1:29 left')
    act(() => vi.advanceTimersByTime(29_000))
    expect(shown()).toBe('1:00 left')
    expect(screen.getByTestId('countdown').className).not.toContain('countdown--soon')
    act(() => vi.advanceTimersByTime(1000))
    expect(screen.getByTestId('countdown').className).toContain('countdown--soon')
  })

  it('says when the time is up', () => {
    holdFor(2_000)
    act(() => vi.advanceTimersByTime(3_000))
    expect(shown()).toBe('time is up')
  })

  it('names the hold for screen readers', () => {
    holdFor(90_000)
    expect(screen.getByTestId('countdown').textContent).toBe(
      'Hold on Front-row concert ticket: 1:30 left',
    )
  })

  it('tells a screen reader once when less than a minute is left', () => {
    holdFor(61_500)
    const warning = screen.getByTestId('countdown-warning')
    expect(warning.getAttribute('aria-live')).toBe('polite')
    expect(warning.textContent).toBe('')
    act(() => vi.advanceTimersByTime(2000))
    expect(warning.textContent).toBe('Hold on Front-row concert ticket: less than a minute left.')
    act(() => vi.advanceTimersByTime(10_000)) // the same words as it ticks: nothing more is said
    expect(warning.textContent).toBe('Hold on Front-row concert ticket: less than a minute left.')
  })
})
