// @vitest-environment jsdom
// The status line that says the customer's own changes to a screen reader: what it says, and what
// it leaves to the notices or keeps quiet about.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Order } from '../../src/actions/index.js'
import { Announcer } from '../../src/ui/status/announcer.js'
import { createHarness, ok, problem, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

const USER = 'customer-1'
const expiresAt = Date.now() + 900_000
const said = () => screen.getByTestId('announcer').textContent
/** How many sentences it has said so far. */
const count = () => Number(screen.getByTestId('announcer').dataset.said)
const ORDER: Order = {
  id: 'ord_abc123def456',
  status: 'pending',
  lines: [{ sku: TICKET.sku, qty: 1, priceCents: 8900 }],
  totalCents: 8900,
  expiresAt,
}

describe('the announcer', () => {
  it('says what the customer’s own commands do, at once; then an order placed and paid', async () => {
    const shop = createHarness()
    shop.render(<Announcer />)
    expect(screen.getByRole('status')).toBe(screen.getByTestId('announcer'))
    shop.snapshot({ products: [{ ...TICKET, onHand: 3 }] })
    expect(said()).toBe('') // the first view says nothing

    shop.reply(ok({ seq: 2 }))
    await act(async () => void shop.client.setCartQty(TICKET.sku, 1))
    expect(said()).toBe('Front-row concert ticket added to your cart.')
    act(() =>
      shop.commit(2, [
        { type: 'cart/line-set', payload: { user: USER, sku: TICKET.sku, qty: 1, expiresAt } },
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 3, held: 1, version: 2 } },
      ]),
    )
    shop.reply(ok({ seq: 3, order: ORDER }))
    await act(async () => void shop.client.checkout())
    act(() =>
      shop.commit(3, [
        {
          type: 'cart/line-removed',
          payload: { user: USER, sku: TICKET.sku, reason: 'checked-out' },
        },
        { type: 'order/placed', payload: { user: USER, order: ORDER } },
      ]),
    )
    // The checkout's cart line is not said to be removed: the order says where it went.
    expect(said()).toBe('Your order of $89.00 is placed and waits for payment.')
    act(() => shop.commit(4, [{ type: 'order/paid', payload: { user: USER, orderId: ORDER.id } }]))
    expect(said()).toBe('Your order of $89.00 is paid.')
  })

  it('keeps quiet about a refusal rolled back, a hold that ran out, a reconnect and other users', async () => {
    const shop = createHarness()
    shop.render(<Announcer />)
    shop.snapshot({
      products: [{ ...TICKET, onHand: 3, held: 2 }],
      cart: [{ sku: TICKET.sku, qty: 2, expiresAt }],
    })
    shop.reply(problem(429, 'limit/rate'))
    await act(async () => void shop.client.removeFromCart(TICKET.sku))
    // Said at once, and not taken back as "added" when the refusal puts the line back.
    expect(said()).toBe('Front-row concert ticket removed from your cart.')
    expect(shop.client.store.getState().view.cart[TICKET.sku]?.qty).toBe(2)
    expect(count()).toBe(1)

    act(() =>
      shop.commit(2, [
        { type: 'cart/line-removed', payload: { user: USER, sku: TICKET.sku, reason: 'expired' } },
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 3, held: 0, version: 2 } },
        { type: 'cart/line-set', payload: { user: 'someone', sku: TICKET.sku, qty: 1, expiresAt } },
      ]),
    )
    act(() =>
      shop.commit(3, [
        { type: 'cart/line-set', payload: { user: USER, sku: TICKET.sku, qty: 1, expiresAt } },
      ]),
    )
    // Back after a reconnect, the line gone meanwhile (another tab, or its time ran out).
    act(() => shop.snapshot({ products: [{ ...TICKET, onHand: 3 }], seq: 9 }))
    expect(count()).toBe(1)
  })
})
