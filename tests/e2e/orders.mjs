// Issue 5 in the browser: Customer 2 checks out the held tickets and pays, while the admin and
// Customer 1 watch the units leave the stock.

import { SKU } from './story.mjs'
import { countsOf, readCounts } from './support/screens.mjs'
import { assert } from './support/steps.mjs'

export const CHECKOUT_STEPS = [
  {
    name: 'checkout: Customer 2 checks out the 2 tickets; the order waits for payment',
    actor: 'c2',
    act: ({ c2 }) => c2.page.getByRole('button', { name: 'Check out', exact: true }).click(),
    expect: [
      {
        who: 'c2',
        label: 'C2 pending order',
        show: {
          selector: '[data-testid^="order-"] [data-testid="order-status"]',
          expect: { text: 'Waiting for payment' },
        },
      },
    ],
    check: async ({ c2, admin }) => {
      assert.equal(await c2.page.getByTestId(`cart-line-${SKU}`).count(), 0, 'C2: cart emptied')
      // The order keeps the units held until it is paid or lapses.
      assert.equal(await readCounts(admin.page, SKU), 'in cart 2 | in stock 11')
      const countdown = await c2.page.locator('[data-status="pending"] time').textContent()
      assert.match(countdown, /^1[45]:\d\d left$/, 'C2: the order counts down')
    },
  },
  {
    name: 'pay: Customer 2 pays; the units leave the stock on every screen',
    actor: 'c2',
    act: ({ c2 }) => c2.page.getByRole('button', { name: /^Pay order / }).click(),
    expect: [
      {
        who: 'c2',
        label: 'C2 paid',
        show: {
          selector: '[data-testid^="order-"] [data-testid="order-status"]',
          expect: { text: 'Paid' },
        },
      },
      {
        who: 'admin',
        label: 'inventory "in stock 9"',
        show: countsOf(SKU, 'in cart 0 | in stock 9'),
      },
      {
        who: 'demo',
        label: 'demo C2 paid',
        show: {
          within: '[data-testid="panel-customer-2"]',
          selector: '[data-testid="order-status"]',
          expect: { text: 'Paid' },
        },
      },
    ],
    check: async ({ c1, admin }) => {
      assert.equal(await readCounts(admin.page, SKU), 'in cart 0 | in stock 9')
      assert.equal(await c1.page.getByTestId(`available-${SKU}`).textContent(), '9 available')
    },
    screenshot: 'demo-paid.png',
  },
]
