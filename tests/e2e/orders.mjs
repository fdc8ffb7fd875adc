// Issue 5 in the browser: Customer 2 checks out the held tickets and pays, while the admin and
// Customer 1 watch the units leave the stock. Then Customer 1 checks out a sticker pack and the
// admin takes it out of the shop: the order is cancelled, and Customer 1 is told why.

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
    name: 'pay: Customer 2 pays from the keyboard; the units leave the stock on every screen',
    actor: 'c2',
    act: async ({ c2 }) => {
      const pay = c2.page.getByRole('button', { name: /^Pay order of \$/ })
      await pay.focus()
      await pay.press('Enter')
    },
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
    check: async ({ c1, c2, admin }) => {
      // Pay turned disabled, then went: the keyboard's place is the order's status, not the body.
      assert.equal(await focusedTestId(c2.page), 'order-status', 'C2: focus after paying')
      assert.equal(await readCounts(admin.page, SKU), 'in cart 0 | in stock 9')
      assert.equal(await c1.page.getByTestId(`available-${SKU}`).textContent(), '9 available')
    },
    screenshot: 'demo-paid.png',
  },
  {
    name: 'delete: Customer 1 checks out a sticker pack; the order waits for payment',
    actor: 'c1',
    act: async ({ c1 }) => {
      await c1.page.getByRole('button', { name: `Add ${STICKERS} to cart`, exact: true }).click()
      await c1.page.getByTestId(`cart-line-${STICKERS_SKU}`).waitFor({ timeout: 10_000 })
      await c1.page.getByRole('button', { name: 'Check out', exact: true }).click()
    },
    expect: [
      {
        who: 'c1',
        label: 'C1 pending order',
        show: {
          selector: '[data-status="pending"] [data-testid="order-status"]',
          expect: { text: 'Waiting for payment' },
        },
      },
    ],
  },
  {
    name: 'delete: the admin takes the sticker pack out of the shop; Customer 1 is told the order is cancelled',
    actor: 'admin',
    act: async ({ admin }) => {
      const { page } = admin
      const remove = page.getByRole('button', { name: `Delete ${STICKERS}`, exact: true })
      // From the keyboard: the question starts on Keep, so a second Enter keeps the product, and
      // Escape answers Keep too.
      await remove.focus()
      await remove.press('Enter')
      await page.keyboard.press('Enter')
      await remove.waitFor({ timeout: 5000 })
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Delete')
      await remove.press('Enter')
      await page.keyboard.press('Escape')
      await remove.waitFor({ timeout: 5000 })
      await remove.click()
      // The question says what the delete does to the customer holding it.
      await page
        .getByText('1 held: carts lose it, and pending orders with it are cancelled.')
        .waitFor({ timeout: 5000 })
      await page.getByRole('button', { name: `Yes, delete ${STICKERS}`, exact: true }).click()
    },
    expect: [
      {
        who: 'c1',
        label: 'C1 order cancelled',
        show: {
          selector: '[data-testid^="order-"] [data-testid="order-status"]',
          expect: { text: 'Cancelled' },
        },
      },
      {
        who: 'c1',
        label: 'C1 told why',
        show: { selector: '[data-testid="notice"][data-code="order/cancelled"]', expect: {} },
      },
    ],
    check: async ({ c1, c2, admin }) => {
      const notice = c1.page.locator('[data-testid="notice"][data-code="order/cancelled"]')
      const said = `Your order was cancelled: ${STICKERS} was taken out of the shop.`
      assert.equal((await notice.textContent()).includes(said), true, 'C1 is told why')
      for (const [who, page] of [
        ['C1', c1.page],
        ['C2', c2.page],
        ['admin', admin.page],
      ]) {
        assert.equal(
          await page.getByText(STICKERS, { exact: true }).count(),
          0,
          `${who}: no sticker pack left on the page`,
        )
      }
      // C2's paid order is untouched.
      assert.equal(await c2.page.locator('[data-status="paid"]').count(), 1, 'C2: still paid')
      // "Yes, delete" turned busy, then its row went: with nothing of the row left, the admin's
      // focus is the screen's heading, not the page's body. No render of the row saw either change,
      // so this is the focus keeper's focusout path.
      assert.equal(
        await admin.page.evaluate(() => document.activeElement?.textContent),
        'Inventory',
        'admin: focus after the delete',
      )
      await notice.getByRole('button').click()
      await notice.waitFor({ state: 'detached', timeout: 5000 })
    },
  },
]

/** The `data-testid` of the element that has the focus on `page`. */
const focusedTestId = (page) => page.evaluate(() => document.activeElement?.dataset.testid ?? null)

const STICKERS = 'Sticker pack'
const STICKERS_SKU = 'sticker-pack'
