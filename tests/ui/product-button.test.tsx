// @vitest-environment jsdom
// The product button of the brief in every state the store can put it in, and what a click does.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { NoticeRegion } from '../../src/ui/notices/notice-region.js'
import { ProductList } from '../../src/ui/shop/product-list.js'
import { createHarness, ok, problem, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

const buttonArea = () => screen.getByTestId('product-button-front-row-ticket')

describe('the product list before and after the shop is in', () => {
  it('says it is loading until the first snapshot, and then that the shop is empty', () => {
    const shop = createHarness()
    shop.render(<ProductList />)
    // The connection is live already; the snapshot is not in yet.
    expect(screen.getByText('Loading the shop…')).toBeTruthy()
    act(() => shop.snapshot({ products: [] }))
    expect(screen.queryByText('Loading the shop…')).toBeNull()
    expect(screen.getByText('No products yet.')).toBeTruthy()
  })
})

describe('the product button', () => {
  it('offers Add when a unit is available and none is in my cart', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(<ProductList />)
    const add = screen.getByRole('button', { name: 'Add Front-row concert ticket to cart' })
    expect(add.textContent).toBe('Add')
    expect((add as HTMLButtonElement).disabled).toBe(false)
    expect(buttonArea().dataset.state).toBe('add')
    expect(screen.getByTestId('available-front-row-ticket').textContent).toBe('1 available')
    expect(screen.getByText('$89.00')).toBeTruthy()
  })

  it('shows Sold out when someone else holds the last unit: reachable by keyboard, doing nothing', () => {
    const shop = createHarness()
    shop.snapshot({ products: [{ ...TICKET, held: 1 }] })
    shop.render(<ProductList />)
    const soldOut = screen.getByRole('button', {
      name: 'Front-row concert ticket is sold out. You will be told when it is back.',
    })
    expect(soldOut.textContent).toBe('Sold out')
    expect(soldOut.getAttribute('aria-disabled')).toBe('true')
    expect((soldOut as HTMLButtonElement).disabled).toBe(false) // stays in the tab order
    fireEvent.click(soldOut)
    expect(shop.sent).toEqual([])
    expect(screen.getByTestId('available-front-row-ticket').textContent).toBe('None available')
  })

  it('tells a customer who saw Sold out when the product is back', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(
      <>
        <ProductList />
        <NoticeRegion />
      </>,
    )
    act(() =>
      shop.commit(2, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 1, held: 1, version: 2 } },
      ]),
    )
    expect(buttonArea().dataset.state).toBe('sold-out')
    act(() =>
      shop.commit(3, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 1, held: 0, version: 3 } },
      ]),
    )
    expect(buttonArea().dataset.state).toBe('add')
    expect(screen.getByText('Front-row concert ticket is back in stock.')).toBeTruthy()
    // One notice for one return.
    expect(screen.getAllByTestId('notice')).toHaveLength(1)
  })

  it('offers Remove when I hold the last unit', () => {
    const shop = createHarness()
    shop.snapshot({
      products: [{ ...TICKET, held: 1 }],
      cart: [{ sku: TICKET.sku, qty: 1, expiresAt: Date.now() + 900_000 }],
    })
    shop.render(<ProductList />)
    expect(buttonArea().dataset.state).toBe('remove')
    expect(
      within(buttonArea()).getByRole('button', {
        name: 'Remove Front-row concert ticket from cart',
      }).textContent,
    ).toBe('Remove')
  })

  it('shows a quantity control when I hold some and more are available', () => {
    const shop = createHarness()
    shop.snapshot({
      products: [{ ...TICKET, onHand: 11, held: 2 }],
      cart: [{ sku: TICKET.sku, qty: 2, expiresAt: Date.now() + 900_000 }],
    })
    shop.render(<ProductList />)
    expect(buttonArea().dataset.state).toBe('change-quantity')
    expect(screen.getByTestId('quantity').textContent).toBe('In cart: 2')
    expect(screen.getByRole('button', { name: 'One more Front-row concert ticket' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'One fewer Front-row concert ticket' })).toBeTruthy()
  })

  it('turns from Add to Sold out when another customer takes the last unit', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(<ProductList />)
    act(() =>
      shop.commit(2, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 1, held: 1, version: 2 } },
      ]),
    )
    expect(buttonArea().dataset.state).toBe('sold-out')
  })

  it('holds the unit at once on Add, before the server answers, and sends PUT qty 1', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(<ProductList />)
    fireEvent.click(screen.getByRole('button', { name: 'Add Front-row concert ticket to cart' }))
    expect(buttonArea().dataset.state).toBe('remove')
    expect(shop.sent).toHaveLength(1)
    expect(shop.sent[0]).toMatchObject({
      method: 'PUT',
      path: '/api/cart/lines/front-row-ticket',
      body: { qty: 1 },
    })
  })

  it('rolls a refused Add back and says why in the notices', async () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.reply(problem(409, 'stock/insufficient', { available: 0, sku: TICKET.sku }))
    shop.render(
      <>
        <ProductList />
        <NoticeRegion />
      </>,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Add Front-row concert ticket to cart' }))
    expect(
      await screen.findByText(
        'Someone else just took the last Front-row concert ticket. You will be told when it is back.',
      ),
    ).toBeTruthy()
    expect(buttonArea().dataset.state).toBe('add')
  })

  it('asks for one more through the quantity control', async () => {
    const shop = createHarness()
    const expiresAt = Date.now() + 900_000
    shop.snapshot({
      products: [{ ...TICKET, onHand: 11, held: 1 }],
      cart: [{ sku: TICKET.sku, qty: 1, expiresAt }],
    })
    shop.reply(ok({ seq: 2, line: { sku: TICKET.sku, qty: 2, expiresAt } }))
    shop.render(<ProductList />)
    fireEvent.click(screen.getByRole('button', { name: 'One more Front-row concert ticket' }))
    expect(screen.getByTestId('quantity').textContent).toBe('In cart: 2')
    expect(shop.sent[0]).toMatchObject({ method: 'PUT', body: { qty: 2 } })
  })
})
