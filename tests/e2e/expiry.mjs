// A hold that lapses on its own (a server with a 3-second hold time): Customer 2, who saw the
// ticket sold out, sees "Add" again without anyone clicking and is told it is back in stock, and
// Customer 1 is told the hold ran out.

import { SKU, TITLE } from './story.mjs'
import { buttonOf, readButton } from './support/screens.mjs'
import { assert } from './support/steps.mjs'

export const HOLD_TTL_MS = 3000

export const EXPIRY_STEPS = [
  {
    name: 'expiry: Customer 1 holds the ticket; Customer 2 sees "Sold out"',
    actor: 'c1',
    act: ({ c1 }) =>
      c1.page.getByRole('button', { name: `Add ${TITLE} to cart`, exact: true }).click(),
    expect: [{ who: 'c2', label: 'C2 Sold out', show: buttonOf(SKU, { state: 'sold-out' }) }],
  },
  {
    name: `expiry: the hold lapses after ${HOLD_TTL_MS} ms; Customer 2 sees "Add" and is told, Customer 1 too`,
    actor: 'server',
    act: async () => {},
    expect: [
      { who: 'c2', label: 'C2 Add (after the hold time)', show: buttonOf(SKU, { state: 'add' }) },
      {
        who: 'c2',
        label: 'C2 back in stock',
        show: { selector: '[data-testid="notice"][data-code="stock/back"]', expect: {} },
      },
      {
        who: 'c1',
        label: 'C1 notice',
        show: { selector: '[data-testid="notice"][data-code="hold/expired"]', expect: {} },
      },
    ],
    check: async ({ c1, c2 }) => {
      assert.equal((await readButton(c2.page, SKU)).state, 'add')
      assert.equal((await readButton(c1.page, SKU)).state, 'add')
      const back = c2.page.locator('[data-testid="notice"][data-code="stock/back"]')
      assert.equal(
        await back.textContent().then((t) => t.includes(`${TITLE} is back in stock.`)),
        true,
        'C2 is told the ticket is back',
      )
      const notice = c1.page.getByTestId('notice')
      assert.equal(
        await notice.textContent().then((t) => t.includes(`Your hold on ${TITLE} ran out.`)),
        true,
      )
      await c1.page
        .getByRole('button', { name: `Dismiss notice: Your hold on ${TITLE} ran out.` })
        .click()
      await notice.waitFor({ state: 'detached', timeout: 5000 })
    },
  },
]
