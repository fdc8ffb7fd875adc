// @vitest-environment jsdom
// The status line that says the customer's own changes to a screen reader: what it says, and what
// it leaves to the notices.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Order } from '../../src/actions/index.js'
import { Announcer } from '../../src/ui/status/announcer.js'
import { createHarness, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

const USER = 'customer-1'
const expiresAt = Date.now() + 900_000
const said = () => screen.getByTestId('announcer').textContent

describe('the announcer', () => {
  it('says a product added and removed, an order placed and paid; nothing for the first view', () => {
    const shop = createHarness()
    shop.render(<Announcer />)
    expect(screen.getByRole('status')).toBe(screen.getByTestId('announcer'))
    shop.snapshot({
      products: [{ ...TICKET, onHand: 3, held: 1 }],
      cart: [{ sku: TICKET.sku, qty: 1, expiresAt }],
    })
    expect(said()).toBe('')

    act(() =>
      shop.commit(2, [
        { type: 'cart/line-removed', payload: { user: USER, sku: TICKET.sku, reason: 'removed' } },
      ]),
    )
    expect(said()).toBe('Front-row concert ticket removed from your cart.')
    act(() =>
      shop.commit(3, [
        { type: 'cart/line-set', payload: { user: USER, sku: TICKET.sku, qty: 2, expiresAt } },
      ]),
    )
    expect(said()).toBe('Front-row concert ticket added to your cart.')

    const order: Order = {
      id: 'ord_abc123def456',
      status: 'pending',
      lines: [{ sku: TICKET.sku, qty: 2, priceCents: 8900 }],
      totalCents: 17_800,
      expiresAt,
    }
    act(() =>
      shop.commit(4, [
        {
          type: 'cart/line-removed',
          payload: { user: USER, sku: TICKET.sku, reason: 'checked-out' },
        },
        { type: 'order/placed', payload: { user: USER, order } },
      ]),
    )
    // The checkout's cart line is not said to be removed: the order says where it went.
    expect(said()).toBe('Order of $178.00 placed, waiting for payment.')
    act(() => shop.commit(5, [{ type: 'order/paid', payload: { user: USER, orderId: order.id } }]))
    expect(said()).toBe('Order of $178.00 paid.')
  })

  it('leaves a hold that ran out to its notice, and says nothing of other users', () => {
    const shop = createHarness()
    shop.render(<Announcer />)
    shop.snapshot({
      products: [{ ...TICKET, onHand: 3, held: 1 }],
      cart: [{ sku: TICKET.sku, qty: 1, expiresAt }],
    })
    act(() =>
      shop.commit(2, [
        { type: 'cart/line-removed', payload: { user: USER, sku: TICKET.sku, reason: 'expired' } },
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 3, held: 0, version: 2 } },
        { type: 'cart/line-set', payload: { user: 'someone', sku: TICKET.sku, qty: 1, expiresAt } },
      ]),
    )
    expect(said()).toBe('')
  })
})
