// @vitest-environment jsdom
// Notices as toasts in a live region: a hold that ran out, back in stock, and dismissing them.
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { NoticeRegion } from '../../src/ui/notices/notice-region.js'
import { ProductList } from '../../src/ui/shop/product-list.js'
import { createHarness, problem, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

describe('notices', () => {
  it('announces a hold that ran out in a polite live region and dismisses it', () => {
    const shop = createHarness()
    shop.snapshot({
      products: [{ ...TICKET, held: 1 }],
      cart: [{ sku: TICKET.sku, qty: 1, expiresAt: Date.now() }],
    })
    shop.render(<NoticeRegion />)
    const region = screen.getByTestId('notices')
    expect(region.getAttribute('aria-live')).toBe('polite')
    expect(region.children).toHaveLength(0)

    act(() =>
      shop.commit(2, [
        {
          type: 'cart/line-removed',
          payload: { user: 'customer-1', sku: TICKET.sku, reason: 'expired' },
        },
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 1, held: 0, version: 2 } },
      ]),
    )
    const message = 'Your hold on Front-row concert ticket ran out.'
    expect(region.textContent).toContain(message)

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss', description: message }))
    expect(region.children).toHaveLength(0)
  })

  it('says a product I could not get is back in stock', async () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.reply(problem(409, 'stock/insufficient', { available: 0 }))
    shop.render(
      <>
        <ProductList />
        <NoticeRegion />
      </>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Add Front-row concert ticket to cart' }))
    await screen.findByText(
      'Someone else just took the last Front-row concert ticket. You will be told when it is back.',
    )
    act(() =>
      shop.commit(2, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 1, held: 1, version: 2 } },
      ]),
    )
    expect(screen.queryByText('Front-row concert ticket is back in stock.')).toBeNull()
    act(() =>
      shop.commit(3, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 11, held: 1, version: 3 } },
      ]),
    )
    const back = screen.getByText('Front-row concert ticket is back in stock.')
    expect(back.closest('[data-testid="notice"]')?.getAttribute('data-code')).toBe('stock/back')
  })
})
