// A hold that lapses on its own (a server with a 3-second hold time): Customer 2, who saw the
// ticket sold out, sees "Add" again without anyone clicking and is told it is back in stock, and
// Customer 1 is told the hold ran out.

import { SKU, TITLE } from './story.mjs'
import { buttonOf, readButton } from './support/screens.mjs'
import { assert } from './support/steps.mjs'

export const HOLD_TTL_MS = 3000

export const EXPIRY_STEPS = [
  {
    name: 'keyboard: the tab names the screen; "Skip to content" focuses it and stays on the shop',
    actor: 'nobody',
    act: async ({ c1 }) => {
      const skip = c1.page.getByRole('link', { name: 'Skip to content' })
      await skip.focus()
      await skip.press('Enter')
    },
    expect: [],
    check: async ({ c1 }) => {
      const { page } = c1
      assert.equal(await page.title(), 'Shop · Shelfsync shop')
      assert.equal(new URL(page.url()).hash, '#/shop', 'the screen is still the shop')
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
      await page.getByRole('heading', { level: 1, name: 'Shop' }).waitFor({ timeout: 5000 })
    },
  },
  {
    name: 'expiry: Customer 1 holds the ticket; Customer 2 sees "Sold out"',
    actor: 'c1',
    act: async ({ c1 }) => {
      await c1.page.getByRole('button', { name: `Add ${TITLE} to cart`, exact: true }).click()
      // The keyboard rests on the cart line's Remove while the hold runs out under it.
      await c1.page
        .getByTestId('cart')
        .getByRole('button', { name: `Remove ${TITLE} from cart` })
        .focus()
    },
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
      // The line went with the focus on its Remove, and nobody pressed anything: the focus is
      // the cart's heading, not the page's body.
      const focused = () => c1.page.evaluate(() => document.activeElement?.textContent ?? null)
      assert.equal(await focused(), 'Your cart', 'C1: focus after the hold ran out')
      const dismiss = c1.page.getByRole('button', { name: 'Dismiss', exact: true })
      await dismiss.focus()
      await dismiss.press('Enter')
      await notice.waitFor({ state: 'detached', timeout: 5000 })
      assert.equal(await focused(), 'Shop', 'C1: focus after dismissing the last notice')
    },
  },
]
