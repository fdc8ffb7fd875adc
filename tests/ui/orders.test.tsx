// @vitest-environment jsdom
// Checkout, the order list with status, pay and cancel: what the store says is under way and what
// the server confirmed.
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Order } from '../../src/actions/index.js'
import { CartPanel } from '../../src/ui/cart/cart-panel.js'
import { NoticeRegion } from '../../src/ui/notices/notice-region.js'
import { OrderList } from '../../src/ui/orders/order-list.js'
import { createHarness, ok, problem, product, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

const ORDER: Order = {
  id: 'ord_abc123def456',
  status: 'pending',
  lines: [{ sku: TICKET.sku, qty: 2, priceCents: 8900 }],
  totalCents: 17_800,
  expiresAt: Date.now() + 600_000,
}
// Named by the total: an id read out letter by letter says less.
const PAY = 'Pay order of $178.00'
const CANCEL = 'Cancel order of $178.00'

describe('checkout and orders', () => {
  it('checks the cart out with POST /api/checkout and says so meanwhile', () => {
    const shop = createHarness()
    shop.snapshot({
      products: [{ ...TICKET, onHand: 5, held: 2 }],
      cart: [{ sku: TICKET.sku, qty: 2, expiresAt: Date.now() + 900_000 }],
    })
    shop.render(<CartPanel />)
    expect(screen.getByTestId('cart-total').textContent).toBe('$178.00')
    fireEvent.click(screen.getByRole('button', { name: 'Check out' }))
    expect(shop.sent[0]).toMatchObject({ method: 'POST', path: '/api/checkout' })
    expect(screen.getByRole('button', { name: 'Checking out…' })).toBeTruthy()
  })

  it('says why Check out waits while a cart change is on its way, and offers it once confirmed', async () => {
    const shop = createHarness()
    const expiresAt = Date.now() + 900_000
    shop.snapshot({
      products: [
        { ...TICKET, onHand: 5, held: 1 },
        product('mug', { title: 'Enamel mug', onHand: 5, held: 1, version: 1 }),
      ],
      cart: [
        { sku: TICKET.sku, qty: 1, expiresAt },
        { sku: 'mug', qty: 1, expiresAt },
      ],
    })
    shop.reply(ok({ seq: 2 }))
    shop.render(<CartPanel />)
    const checkout = screen.getByRole('button', { name: 'Check out' }) as HTMLButtonElement
    expect(screen.queryByTestId('checkout-waiting')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Remove Enamel mug from cart' }))
    expect(checkout.disabled).toBe(true)
    const why = screen.getByTestId('checkout-waiting')
    expect(why.textContent).toBe('Waiting for the shop to confirm your last change…')
    expect(checkout.getAttribute('aria-describedby')).toBe(why.id)
    await act(async () => {}) // the answer (seq 2) arrives; the command waits for its commit
    act(() =>
      shop.commit(2, [
        {
          type: 'cart/line-removed',
          payload: { user: 'customer-1', sku: 'mug', reason: 'removed' },
        },
        { type: 'stock/changed', payload: { sku: 'mug', onHand: 5, held: 0, version: 2 } },
      ]),
    )
    expect(checkout.disabled).toBe(false)
    expect(screen.queryByTestId('checkout-waiting')).toBeNull()
  })

  it('lists a pending order with its time left, Pay and Cancel', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET], orders: [ORDER] })
    shop.render(<OrderList />)
    const order = screen.getByTestId(`order-${ORDER.id}`)
    expect(order.dataset.status).toBe('pending')
    expect(screen.getByTestId('order-status').textContent).toBe('Waiting for payment')
    expect(order.textContent).toContain('2 × Front-row concert ticket')
    expect(order.textContent).toContain('$178.00')
    expect(screen.getByTestId('countdown').textContent).toMatch(
      /^Time to pay order .*: (9|10):\d\d left$/,
    )
    // Two orders of one total are told apart by the description, their id.
    expect(screen.getByRole('button', { name: PAY, description: ORDER.id })).toBeTruthy()
    expect(screen.getByRole('button', { name: CANCEL, description: ORDER.id })).toBeTruthy()
  })

  it('keeps the order pending while paying, and shows it paid once the stream says so', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET], orders: [ORDER] })
    shop.reply(ok({ seq: 2, order: { ...ORDER, status: 'paid' } }))
    shop.render(<OrderList />)
    const pay = screen.getByRole('button', { name: PAY })
    pay.focus()
    fireEvent.click(pay)
    expect(shop.sent[0]).toMatchObject({ method: 'POST', path: `/api/orders/${ORDER.id}/pay` })
    expect(screen.getByTestId('order-status').textContent).toBe('Waiting for payment')
    expect(screen.getByRole('button', { name: PAY }).textContent).toBe('Paying…')

    act(() =>
      shop.commit(2, [{ type: 'order/paid', payload: { user: 'customer-1', orderId: ORDER.id } }]),
    )
    expect(screen.getByTestId('order-status').textContent).toBe('Paid')
    expect(screen.queryByRole('button', { name: PAY })).toBeNull()
    // Pay turned disabled, then went: the keyboard's place is the order's status, not the body.
    expect(document.activeElement).toBe(screen.getByTestId('order-status'))
  })

  it('tells the customer when cancelling is refused because the order lapsed', async () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET], orders: [ORDER] })
    shop.reply(problem(409, 'order/not-pending'))
    shop.render(
      <>
        <OrderList />
        <NoticeRegion />
      </>,
    )
    fireEvent.click(screen.getByRole('button', { name: CANCEL }))
    expect(await screen.findByText('That order is no longer waiting for payment.')).toBeTruthy()
    expect(screen.getByRole('button', { name: CANCEL }).textContent).toBe('Cancel')
  })
})
