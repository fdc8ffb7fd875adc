// @vitest-environment jsdom
// The admin's inventory: the row's counts, restock, and an edit that lost a race.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { InventoryView } from '../../src/ui/inventory/inventory-view.js'
import { createHarness, ok, problem, product, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

const counts = () => screen.getByTestId('inventory-counts-front-row-ticket').textContent

describe('the inventory', () => {
  it('reads "in cart N | in stock M" and follows the stream', () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [{ ...TICKET, held: 1 }] })
    shop.render(<InventoryView />)
    expect(counts()).toBe('in cart 1 | in stock 1')
    act(() =>
      shop.commit(2, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 11, held: 1, version: 2 } },
      ]),
    )
    expect(counts()).toBe('in cart 1 | in stock 11')
  })

  it('tells a customer that only an admin manages it', () => {
    const shop = createHarness('customer-1', 'customer')
    shop.snapshot({ products: [TICKET] })
    shop.render(<InventoryView />)
    expect(screen.getByTestId('inventory-forbidden').textContent).toContain('Only an admin')
    expect(screen.queryByTestId('inventory-counts-front-row-ticket')).toBeNull()
  })

  it('restocks by the units typed', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.reply(ok({ seq: 2, product: { ...TICKET, onHand: 11, version: 2 } }))
    shop.render(<InventoryView />)
    const units = screen.getByLabelText('Add units to Front-row concert ticket') as HTMLInputElement
    fireEvent.change(units, { target: { value: '10' } })
    fireEvent.click(screen.getByRole('button', { name: 'Restock Front-row concert ticket' }))
    expect(shop.sent[0]).toMatchObject({
      method: 'POST',
      path: '/api/products/front-row-ticket/restock',
      body: { qty: 10 },
    })
    // Once the server has answered, the field is empty for the next restock.
    await waitFor(() => expect(units.value).toBe(''))
  })

  it('says so when a product open for editing is deleted by someone else', () => {
    const shop = createHarness('admin', 'admin')
    const mug = product('mug', { title: 'Mug', version: 2 })
    shop.snapshot({ products: [{ ...TICKET, version: 3 }, mug] })
    shop.render(<InventoryView />)
    const line = screen.getByTestId('edit-vanished')
    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    const price = screen.getByLabelText('Price ($) of Front-row concert ticket')
    price.focus()
    fireEvent.change(price, { target: { value: '99' } })
    // Another admin renames it, then deletes it; the Mug, whose edit is not open, stays.
    act(() =>
      shop.commit(4, [
        { type: 'product/upserted', payload: { ...TICKET, title: 'Encore ticket', version: 4 } },
      ]),
    )
    expect(line.textContent).toBe('')
    act(() =>
      shop.commit(5, [{ type: 'product/removed', payload: { sku: TICKET.sku, version: 5 } }]),
    )
    expect(screen.queryByTestId('inventory-row-front-row-ticket')).toBeNull()
    expect(line.textContent).toBe(
      'Encore ticket was deleted while you were editing it; your changes were not saved.',
    )
    expect(document.activeElement).toBe(line)
    // The line goes once another edit opens; no request was ever sent.
    fireEvent.click(screen.getByRole('button', { name: 'Edit Mug' }))
    expect(line.textContent).toBe('')
    expect(shop.sent).toEqual([])
  })

  it('takes signing in as another admin, whose store starts empty, for no deletion', () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    act(() => shop.client.dispatch({ type: 'session/changed', user: 'admin-2', role: 'admin' }))
    expect(screen.queryByTestId('inventory-row-front-row-ticket')).toBeNull()
    act(() => shop.snapshot({ products: [TICKET] }))
    expect(screen.getByTestId('edit-vanished').textContent).toBe('')
    // The new admin finds the row as anyone would, with its buttons, not the old edit.
    expect(screen.getByRole('button', { name: 'Edit Front-row concert ticket' })).toBeTruthy()
  })

  it('shows the newer values after a lost race and retries on the newer version', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [{ ...TICKET, version: 3 }] })
    const theirs = { ...TICKET, onHand: 5, version: 4 }
    shop.reply(
      problem(412, 'product/version-mismatch', { product: theirs }),
      ok({ seq: 9, product: { ...theirs, priceCents: 9900, version: 5 } }),
    )
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    fireEvent.change(screen.getByLabelText('Price ($) of Front-row concert ticket'), {
      target: { value: '99' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(shop.sent[0]).toMatchObject({
      method: 'PATCH',
      body: { priceCents: 9900 },
      headers: { 'if-match': '"3"' },
    })

    const conflict = await screen.findByTestId('edit-conflict')
    expect(conflict.textContent).toContain('Someone changed this product')
    expect(conflict.textContent).toContain('5 in stock')

    fireEvent.click(screen.getByRole('button', { name: 'Save my changes on top' }))
    // Only the admin's own change goes again, so the other edit (stock 5) is kept.
    expect(shop.sent[1]).toMatchObject({
      method: 'PATCH',
      body: { priceCents: 9900 },
      headers: { 'if-match': '"4"' },
    })
    await screen.findByRole('button', { name: 'Edit Front-row concert ticket' })
  })

  it('saves on the newer version by itself when only customers’ holds moved it', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [{ ...TICKET, onHand: 5, version: 3 }] })
    shop.reply(
      problem(412, 'product/version-mismatch', {
        product: { ...TICKET, onHand: 5, held: 2, version: 4 },
      }),
      ok({ seq: 9, product: { ...TICKET, title: 'VIP ticket', onHand: 5, held: 2, version: 5 } }),
    )
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    fireEvent.change(screen.getByLabelText('Title of Front-row concert ticket'), {
      target: { value: 'VIP ticket' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByRole('button', { name: 'Edit Front-row concert ticket' })
    expect(screen.queryByTestId('edit-conflict')).toBeNull()
    expect(shop.sent.map((sent) => sent.headers['if-match'])).toEqual(['"3"', '"4"'])
    expect(shop.sent[1]).toMatchObject({ method: 'PATCH', body: { title: 'VIP ticket' } })
  })

  it('shows the newer values as they move on, and names a field both admins changed', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [{ ...TICKET, version: 3 }] })
    shop.reply(
      problem(412, 'product/version-mismatch', {
        product: { ...TICKET, onHand: 6, version: 4 },
      }),
      ok({ seq: 9, product: { ...TICKET, onHand: 10, version: 6 } }),
    )
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    fireEvent.change(screen.getByLabelText('In stock of Front-row concert ticket'), {
      target: { value: '10' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    const conflict = await screen.findByTestId('edit-conflict')
    expect(conflict.textContent).toContain('6 in stock')
    expect(conflict.textContent).toContain('You both changed the stock')
    act(() =>
      shop.commit(5, [
        { type: 'stock/changed', payload: { sku: TICKET.sku, onHand: 7, held: 0, version: 5 } },
      ]),
    )
    expect(conflict.textContent).toContain('7 in stock')
    fireEvent.click(screen.getByRole('button', { name: 'Save my changes on top' }))
    expect(shop.sent[1]).toMatchObject({
      method: 'PATCH',
      body: { onHand: 10 },
      headers: { 'if-match': '"5"' },
    })
    await screen.findByRole('button', { name: 'Edit Front-row concert ticket' })
  })

  it('after "save on top", still tells a race lost only to holds from a real one', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [{ ...TICKET, version: 3 }] })
    const theirs = { ...TICKET, title: 'VIP ticket', version: 4 }
    shop.reply(
      problem(412, 'product/version-mismatch', { product: theirs }),
      problem(412, 'product/version-mismatch', { product: { ...theirs, held: 1, version: 5 } }),
      ok({ seq: 9, product: { ...theirs, priceCents: 9900, held: 1, version: 6 } }),
    )
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    fireEvent.change(screen.getByLabelText('Price ($) of Front-row concert ticket'), {
      target: { value: '99' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByTestId('edit-conflict')
    fireEvent.click(screen.getByRole('button', { name: 'Save my changes on top' }))
    await screen.findByRole('button', { name: 'Edit Front-row concert ticket' })
    expect(shop.sent.map((sent) => sent.headers['if-match'])).toEqual(['"3"', '"4"', '"5"'])
  })

  it('starts again from the newer values when the admin takes them', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [{ ...TICKET, version: 3 }] })
    shop.reply(
      problem(412, 'product/version-mismatch', {
        product: { ...TICKET, title: 'VIP ticket', version: 4 },
      }),
    )
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    fireEvent.change(screen.getByLabelText('In stock of Front-row concert ticket'), {
      target: { value: '3' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByTestId('edit-conflict')
    fireEvent.click(screen.getByRole('button', { name: 'Start again from these values' }))
    expect(screen.queryByTestId('edit-conflict')).toBeNull()
    expect(
      (screen.getByLabelText('Title of Front-row concert ticket') as HTMLInputElement).value,
    ).toBe('VIP ticket')
    expect(
      (screen.getByLabelText('In stock of Front-row concert ticket') as HTMLInputElement).value,
    ).toBe('1')
  })

  it('says what is wrong with a new product before sending it, and forgets it once typing', () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.render(<InventoryView />)
    const type = (label: string, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } })
    const create = () =>
      fireEvent.submit(
        screen.getByRole('button', { name: 'Create product' }).closest('form') as HTMLFormElement,
      )
    const error = () => screen.queryByRole('alert')?.textContent ?? null

    type('Sku', '..')
    type('Title', 'Dots')
    type('Price ($)', '5')
    create()
    expect(error()).toContain('not "." or ".."')
    expect(screen.getByLabelText('Sku').getAttribute('aria-invalid')).toBe('true')
    type('Sku', 'dots')
    expect(error()).toBeNull()
    type('Price ($)', '1000000.01')
    create()
    expect(error()).toBe('The price can be at most $1,000,000.00.')
    // The message is tied to its field, for a screen reader on that input.
    const price = screen.getByLabelText('Price ($)')
    expect(price.getAttribute('aria-invalid')).toBe('true')
    expect(price.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id)
    expect(screen.getByLabelText('Sku').getAttribute('aria-invalid')).toBeNull()
    type('Price ($)', '5')
    type('In stock', '1000000001')
    create()
    expect(error()).toBe('Units in stock can be at most 1,000,000,000.')
    expect(shop.sent).toEqual([])
  })

  it('says a new product was added, until the next typing', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.reply(ok({ seq: 2, product: { sku: 'mug', title: 'Mug', priceCents: 500, onHand: 2 } }))
    shop.render(<InventoryView />)
    const type = (label: string, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } })
    type('Sku', 'mug')
    type('Title', 'Mug')
    type('Price ($)', '5')
    type('In stock', '2')
    fireEvent.click(screen.getByRole('button', { name: 'Create product' }))
    const said = screen.getByTestId('product-created')
    await waitFor(() => expect(said.textContent).toBe('Added Mug to the shop.'))
    expect(said.getAttribute('role')).toBe('status')
    type('Sku', 'm')
    expect(said.textContent).toBe('')
  })

  it('says the restock limit when it is passed', () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.render(<InventoryView />)
    fireEvent.change(screen.getByLabelText('Add units to Front-row concert ticket'), {
      target: { value: '1000001' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Restock Front-row concert ticket' }))
    expect(screen.getByRole('alert').textContent).toBe(
      'Restock by a whole number of units, from 1 to 1,000,000.',
    )
    expect(shop.sent).toEqual([])
  })

  it('keeps the keyboard’s place: Edit to the title, Cancel back to Edit, Keep back to Delete', () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.render(<InventoryView />)
    const press = (name: string) => {
      const button = screen.getByRole('button', { name })
      button.focus()
      fireEvent.click(button)
    }
    press('Edit Front-row concert ticket')
    expect(document.activeElement).toBe(screen.getByLabelText('Title of Front-row concert ticket'))
    press('Cancel')
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Edit Front-row concert ticket' }),
    )
    // The question starts on the safe answer: a second Enter keeps the product.
    press('Delete Front-row concert ticket')
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Keep Front-row concert ticket' }),
    )
    press('Keep Front-row concert ticket')
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Delete Front-row concert ticket' }),
    )
  })

  it('answers Escape as Keep in the delete question and as Cancel in the edit form', () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Delete Front-row concert ticket' }))
    fireEvent.keyDown(screen.getByRole('button', { name: 'Keep Front-row concert ticket' }), {
      key: 'Escape',
    })
    expect(
      screen.queryByRole('button', { name: 'Yes, delete Front-row concert ticket' }),
    ).toBeNull()
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Delete Front-row concert ticket' }),
    )

    fireEvent.click(screen.getByRole('button', { name: 'Edit Front-row concert ticket' }))
    fireEvent.keyDown(screen.getByLabelText('Title of Front-row concert ticket'), { key: 'Escape' })
    expect(screen.queryByTestId(`edit-form-${TICKET.sku}`)).toBeNull()
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Edit Front-row concert ticket' }),
    )
    expect(shop.sent).toEqual([])
  })

  it('says, when asking, what a delete does to customers holding the product', () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({
      products: [
        { ...TICKET, onHand: 3, held: 2 },
        { ...TICKET, sku: 'mug', title: 'Mug' },
      ],
    })
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Delete Front-row concert ticket' }))
    const confirm = screen.getByRole('button', { name: 'Yes, delete Front-row concert ticket' })
    const warning = document.getElementById(confirm.getAttribute('aria-describedby') ?? '')
    expect(warning?.textContent).toBe(
      '2 held: carts lose it, and pending orders with it are cancelled.',
    )
    // Nothing held, nothing to warn of.
    fireEvent.click(screen.getByRole('button', { name: 'Delete Mug' }))
    expect(
      screen.getByRole('button', { name: 'Yes, delete Mug' }).hasAttribute('aria-describedby'),
    ).toBe(false)
    expect(screen.getAllByText(/carts lose it/)).toHaveLength(1)
  })

  it('sends one delete however often "Yes, delete" is clicked while it is under way', async () => {
    const shop = createHarness('admin', 'admin')
    shop.snapshot({ products: [TICKET] })
    shop.render(<InventoryView />)
    fireEvent.click(screen.getByRole('button', { name: 'Delete Front-row concert ticket' }))
    const confirm = screen.getByRole('button', { name: 'Yes, delete Front-row concert ticket' })
    fireEvent.click(confirm)
    fireEvent.click(confirm)
    expect(shop.sent.filter((request) => request.method === 'DELETE')).toHaveLength(1)
    expect((confirm as HTMLButtonElement).disabled).toBe(true)
  })
})
