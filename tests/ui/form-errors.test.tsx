// @vitest-environment jsdom
// A form's error is tied to the field it is about (aria-invalid, aria-describedby), so a screen
// reader says it on that field, whether the form found it or the server did.
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { CreateProductForm } from '../../src/ui/inventory/create-product-form.js'
import { RestockForm } from '../../src/ui/inventory/restock-form.js'
import { SignInForm } from '../../src/ui/start/sign-in-form.js'
import { createHarness, problem, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

/** The error messages `field` is described by, and whether it is marked invalid. */
const describedErrors = (field: HTMLElement) => ({
  invalid: field.getAttribute('aria-invalid') === 'true',
  messages: (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id))
    .filter((element) => element?.getAttribute('role') === 'alert')
    .map((element) => element?.textContent),
})

describe('form errors tied to their fields', () => {
  it('ties a refused sign-in to the name, and lets go once the name is typed again', async () => {
    const shop = createHarness()
    shop.reply(problem(403, 'auth/forbidden'))
    shop.render(<SignInForm onSignedIn={() => {}} />)
    const name = screen.getByLabelText('Your name')
    fireEvent.change(name, { target: { value: 'not valid!' } })
    fireEvent.submit(name)
    expect(describedErrors(name)).toEqual({
      invalid: true,
      messages: ['Use 1 to 64 letters, digits, dots, dashes or underscores.'],
    })
    fireEvent.change(name, { target: { value: 'ann' } })
    expect(describedErrors(name)).toEqual({ invalid: false, messages: [] })
    fireEvent.submit(name)
    expect(await screen.findByText('You are not allowed to do that.')).toBeTruthy()
    expect(describedErrors(name).messages).toEqual(['You are not allowed to do that.'])
  })

  it('ties a restock out of range to its field', () => {
    const shop = createHarness('admin', 'admin')
    shop.render(<RestockForm product={{ ...TICKET, available: 1 }} />)
    const units = screen.getByTestId(`restock-qty-${TICKET.sku}`)
    fireEvent.change(units, { target: { value: '99999999' } })
    fireEvent.click(screen.getByRole('button', { name: `Restock ${TICKET.title}` }))
    expect(describedErrors(units)).toEqual({
      invalid: true,
      messages: ['Restock by a whole number of units, from 1 to 1,000,000.'],
    })
    expect(shop.sent).toEqual([])
  })

  it('ties a sku the shop already has to the sku field', async () => {
    const shop = createHarness('admin', 'admin')
    shop.reply(problem(409, 'product/exists'))
    shop.render(<CreateProductForm />)
    const sku = screen.getByLabelText('Sku')
    fireEvent.change(sku, { target: { value: TICKET.sku } })
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Ticket' } })
    fireEvent.change(screen.getByLabelText('Price ($)'), { target: { value: '5' } })
    fireEvent.change(screen.getByLabelText('In stock'), { target: { value: '1' } })
    fireEvent.submit(sku)
    await screen.findByRole('alert')
    const { invalid, messages } = describedErrors(sku)
    expect(invalid).toBe(true)
    expect(messages).toHaveLength(1)
    expect(shop.sent).toHaveLength(1)
  })

  it('says why signing in by name fails on a server without demo mode', async () => {
    const shop = createHarness()
    shop.reply(problem(404, 'request/not-found'))
    shop.render(<SignInForm onSignedIn={() => {}} />)
    const name = screen.getByLabelText('Your name')
    fireEvent.change(name, { target: { value: 'ann' } })
    fireEvent.submit(name)
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Signing in by name works only in demo mode, and this server is not in it: sign in through the shop’s own site.',
    )
  })
})
