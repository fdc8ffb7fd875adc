// @vitest-environment jsdom
// A press that replaces the pressed control keeps the keyboard's place: the focus goes to the new
// control instead of the page's body.
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { CartPanel } from '../../src/ui/cart/cart-panel.js'
import { Screen } from '../../src/ui/screens/screen.js'
import { ProductList } from '../../src/ui/shop/product-list.js'
import { createHarness, product, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

/** Presses a button from the keyboard: it has the focus, then it is clicked. */
const press = (name: string): void => {
  const button = screen.getByRole('button', { name })
  button.focus()
  fireEvent.click(button)
}
const focusedName = (): string | null => document.activeElement?.getAttribute('aria-label') ?? null

/** A harness whose cart holds the ticket and an enamel mug, one of each. */
const twoHolds = () => {
  const shop = createHarness()
  const expiresAt = Date.now() + 900_000
  shop.snapshot({
    products: [{ ...TICKET, held: 1 }, product('mug', { title: 'Enamel mug', onHand: 5, held: 1 })],
    cart: [
      { sku: TICKET.sku, qty: 1, expiresAt },
      { sku: 'mug', qty: 1, expiresAt },
    ],
  })
  return shop
}

describe('the focus after a press', () => {
  it('goes from Add to Remove and back to Add', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(<ProductList />)
    press('Add Front-row concert ticket to cart')
    expect(focusedName()).toBe('Remove Front-row concert ticket from cart')
    press('Remove Front-row concert ticket from cart')
    expect(focusedName()).toBe('Add Front-row concert ticket to cart')
  })

  it('goes from Add to "one more" of the quantity control, and to "one fewer" when I hold the last one', () => {
    const shop = createHarness()
    shop.snapshot({ products: [{ ...TICKET, onHand: 3 }] })
    shop.render(<ProductList />)
    press('Add Front-row concert ticket to cart')
    expect(focusedName()).toBe('One more Front-row concert ticket')
    press('One more Front-row concert ticket')
    expect(focusedName()).toBe('One more Front-row concert ticket')
    press('One more Front-row concert ticket') // the last unit: "one more" turns disabled
    expect(focusedName()).toBe('One fewer Front-row concert ticket')
  })

  it('follows the control when the server refuses and the view rolls back', async () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.reply({
      status: 409,
      body: {
        type: 'about:blank',
        title: 'Insufficient stock',
        status: 409,
        detail: 'none left',
        code: 'stock/insufficient',
        available: 0,
        sku: TICKET.sku,
      },
    })
    shop.render(<ProductList />)
    press('Add Front-row concert ticket to cart')
    expect(focusedName()).toBe('Remove Front-row concert ticket from cart')
    // The client had not seen the other hold yet: the view rolls back to Add.
    await screen.findByRole('button', { name: 'Add Front-row concert ticket to cart' })
    expect(focusedName()).toBe('Add Front-row concert ticket to cart')
  })

  it('is left alone once the user went elsewhere: to another control, or the page itself', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(
      <>
        <ProductList />
        <button type="button" aria-label="elsewhere" />
      </>,
    )
    const lapse = (seq: number, version: number) =>
      act(() =>
        shop.commit(seq, [
          {
            type: 'cart/line-removed',
            payload: { user: 'customer-1', sku: TICKET.sku, reason: 'expired' },
          },
          { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 1, held: 0, version } },
        ]),
      )
    press('Add Front-row concert ticket to cart')
    const elsewhere = screen.getByRole('button', { name: 'elsewhere' })
    elsewhere.focus()
    lapse(2, 2)
    expect(document.activeElement).toBe(elsewhere)

    // A press on the page's background: the focus goes to the body, and stays there.
    press('Remove Front-row concert ticket from cart')
    fireEvent.pointerDown(document.body)
    ;(document.activeElement as HTMLElement).blur()
    act(() =>
      shop.commit(3, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 4, held: 0, version: 3 } },
      ]),
    )
    expect(document.activeElement).toBe(document.body)
  })

  it('goes from a removed cart line to the next line, then to the cart heading', () => {
    const shop = twoHolds()
    shop.render(<CartPanel />)
    press('Remove Enamel mug from cart')
    expect(focusedName()).toBe('Remove Front-row concert ticket from cart')
    press('Remove Front-row concert ticket from cart')
    expect(document.activeElement?.textContent).toBe('Your cart')
  })
})

describe('the focus when its control goes away without a press', () => {
  const expiresAt = Date.now() + 900_000
  it('goes to the next cart line when a hold runs out under it', () => {
    const shop = twoHolds()
    shop.render(<CartPanel />)
    screen.getByRole('button', { name: 'Remove Enamel mug from cart' }).focus()
    act(() =>
      shop.commit(2, [
        {
          type: 'cart/line-removed',
          payload: { user: 'customer-1', sku: 'mug', reason: 'expired' },
        },
        { type: 'stock/changed', payload: { sku: 'mug', onHand: 5, held: 0, version: 2 } },
      ]),
    )
    expect(focusedName()).toBe('Remove Front-row concert ticket from cart')
  })

  it('goes to "one fewer" when someone else takes the rest while "one more" has it', () => {
    const shop = createHarness()
    shop.snapshot({
      products: [{ ...TICKET, onHand: 5, held: 2 }],
      cart: [{ sku: TICKET.sku, qty: 2, expiresAt }],
    })
    shop.render(<ProductList />)
    screen.getByRole('button', { name: 'One more Front-row concert ticket' }).focus()
    act(() =>
      shop.commit(2, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 5, held: 5, version: 2 } },
      ]),
    )
    expect(focusedName()).toBe('One fewer Front-row concert ticket')
  })

  it('goes from a dismissed notice to the next one, then to the screen’s heading', () => {
    const shop = twoHolds()
    shop.render(<Screen title="Shop">{null}</Screen>) // its notices, under its heading
    act(() =>
      shop.commit(2, [
        {
          type: 'cart/line-removed',
          payload: { user: 'customer-1', sku: 'mug', reason: 'expired' },
        },
        { type: 'stock/changed', payload: { sku: 'mug', onHand: 5, held: 0, version: 2 } },
        {
          type: 'cart/line-removed',
          payload: { user: 'customer-1', sku: TICKET.sku, reason: 'expired' },
        },
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 1, held: 0, version: 2 } },
      ]),
    )
    const [first, second] = screen.getAllByRole('button', { name: 'Dismiss' })
    first?.focus()
    fireEvent.click(first as HTMLElement)
    expect(document.activeElement).toBe(second)
    fireEvent.click(second as HTMLElement)
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Shop' }))
  })
})
