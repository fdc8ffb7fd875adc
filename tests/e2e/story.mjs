// The brief's story with one ticket in stock, played by Customer 1, Customer 2 and the admin in
// separate browser contexts, while a fourth context watches the Demo page (whose panels are signed
// in as the same three users) and takes its screenshots.

import { buttonOf, countsOf, readButton, readCounts } from './support/screens.mjs'
import { assert } from './support/steps.mjs'

export const SKU = 'front-row-ticket'
export const TITLE = 'Front-row concert ticket'
export const USERS = { c1: 'customer-1', c2: 'customer-2', admin: 'admin' }

const C1_PANEL = '[data-testid="panel-customer-1"]'
const C2_PANEL = '[data-testid="panel-customer-2"]'
const INVENTORY_PANEL = '[data-testid="panel-inventory"]'

const ADD = { state: 'add', text: 'Add' }
const SOLD_OUT = { state: 'sold-out', text: 'Sold out' }
const REMOVE = { state: 'remove', text: 'Remove' }

const expectButton = async (page, expected, scope = page) => {
  const button = await readButton(scope, SKU)
  assert.equal(button.state, expected.state, `${expected.who}: button state`)
  if (expected.text !== undefined)
    assert.equal(button.text, expected.text, `${expected.who}: button text`)
  if (expected.state === 'sold-out')
    assert.equal(button.disabled, true, `${expected.who}: Sold out is disabled`)
  if (expected.quantity !== undefined) {
    assert.equal(button.quantity, String(expected.quantity), `${expected.who}: quantity shown`)
  }
}

const expectCounts = async (scope, text, who) =>
  assert.equal(await readCounts(scope, SKU), text, `${who}: inventory row`)

/** Clicks the button named `name` in `scope` (a page or a part of one). */
const click = (scope, name) => scope.getByRole('button', { name, exact: true }).click()

/** What every screen shows at the start: one ticket, nobody holding it. */
export const checkStart = async ({ c1, c2, admin, demo }) => {
  await expectButton(c1.page, { ...ADD, who: 'C1' })
  await expectButton(c2.page, { ...ADD, who: 'C2' })
  await expectCounts(admin.page, 'in cart 0 | in stock 1', 'admin')
  await expectCounts(demo.page.locator(INVENTORY_PANEL), 'in cart 0 | in stock 1', 'demo inventory')
  // The Demo page's sections are named with their panel's title, so a landmark list tells the
  // three panels apart.
  for (const name of ['Customer 1 Products', 'Customer 2 Your cart', 'Inventory Stock'])
    assert.equal(await demo.page.getByRole('region', { name, exact: true }).count(), 1, name)
}

export const STEPS = [
  {
    name: 'step 1: Customer 1 adds the only ticket; Customer 2 sees "Sold out"',
    actor: 'c1',
    act: ({ c1 }) => click(c1.page, `Add ${TITLE} to cart`),
    expect: [
      { who: 'c1', label: 'C1 Remove', show: buttonOf(SKU, REMOVE) },
      { who: 'c2', label: 'C2 Sold out', show: buttonOf(SKU, SOLD_OUT) },
      {
        who: 'admin',
        label: 'inventory "in cart 1"',
        show: countsOf(SKU, 'in cart 1 | in stock 1'),
      },
      { who: 'demo', label: 'demo C2 Sold out', show: buttonOf(SKU, SOLD_OUT, C2_PANEL) },
    ],
    check: async ({ c1, c2, admin, demo }) => {
      await expectButton(c1.page, { ...REMOVE, who: 'C1' })
      await expectButton(c2.page, { ...SOLD_OUT, who: 'C2' })
      await expectCounts(admin.page, 'in cart 1 | in stock 1', 'admin')
      await expectButton(demo.page, { ...SOLD_OUT, who: 'demo C2' }, demo.page.locator(C2_PANEL))
      await expectButton(demo.page, { ...REMOVE, who: 'demo C1' }, demo.page.locator(C1_PANEL))
      // The hold's time left, counted down with the server's clock (15 minutes by default).
      const countdown = await c1.page.locator(`[data-testid="cart-line-${SKU}"] time`).textContent()
      assert.match(countdown, /^1[45]:\d\d left$/, 'C1: the hold counts down from 15 minutes')
      assert.equal(
        await c2.page
          .locator('[data-testid="cart"]')
          .textContent()
          .then((t) => t.includes(TITLE)),
        false,
      )
    },
    screenshot: 'demo-step1.png',
  },
  {
    name: 'step 2: Customer 1 removes it; both customers see "Add"',
    actor: 'c1',
    act: ({ c1 }) =>
      click(c1.page.getByTestId(`product-button-${SKU}`), `Remove ${TITLE} from cart`),
    expect: [
      { who: 'c1', label: 'C1 Add', show: buttonOf(SKU, ADD) },
      { who: 'c2', label: 'C2 Add', show: buttonOf(SKU, ADD) },
      {
        who: 'admin',
        label: 'inventory "in cart 0"',
        show: countsOf(SKU, 'in cart 0 | in stock 1'),
      },
      { who: 'demo', label: 'demo C2 Add', show: buttonOf(SKU, ADD, C2_PANEL) },
    ],
    check: async ({ c1, c2, admin }) => {
      await expectButton(c1.page, { ...ADD, who: 'C1' })
      await expectButton(c2.page, { ...ADD, who: 'C2' })
      await expectCounts(admin.page, 'in cart 0 | in stock 1', 'admin')
    },
  },
  {
    name: 'step 3: Customer 2 adds it; Customer 1 sees "Sold out"',
    actor: 'c2',
    act: ({ c2 }) => click(c2.page, `Add ${TITLE} to cart`),
    expect: [
      { who: 'c2', label: 'C2 Remove', show: buttonOf(SKU, REMOVE) },
      { who: 'c1', label: 'C1 Sold out', show: buttonOf(SKU, SOLD_OUT) },
      {
        who: 'admin',
        label: 'inventory "in cart 1"',
        show: countsOf(SKU, 'in cart 1 | in stock 1'),
      },
      { who: 'demo', label: 'demo C1 Sold out', show: buttonOf(SKU, SOLD_OUT, C1_PANEL) },
    ],
    check: async ({ c1, c2, admin }) => {
      await expectButton(c1.page, { ...SOLD_OUT, who: 'C1' })
      await expectButton(c2.page, { ...REMOVE, who: 'C2' })
      await expectCounts(admin.page, 'in cart 1 | in stock 1', 'admin')
    },
  },
  {
    name: 'step 4: the admin restocks 10; Customer 1 sees "Add", Customer 2 a quantity control',
    actor: 'admin',
    act: async ({ admin }) => {
      await admin.page.getByLabel(`Add units to ${TITLE}`).fill('10')
      await click(admin.page, `Restock ${TITLE}`)
    },
    expect: [
      {
        who: 'admin',
        label: 'inventory "in stock 11"',
        show: countsOf(SKU, 'in cart 1 | in stock 11'),
      },
      { who: 'c1', label: 'C1 Add', show: buttonOf(SKU, ADD) },
      {
        who: 'c2',
        label: 'C2 quantity control',
        show: buttonOf(SKU, { state: 'change-quantity' }),
      },
      {
        who: 'demo',
        label: 'demo C2 quantity control',
        show: buttonOf(SKU, { state: 'change-quantity' }, C2_PANEL),
      },
    ],
    check: async ({ c1, c2, admin }) => {
      await expectButton(c1.page, { ...ADD, who: 'C1' })
      await expectButton(c2.page, { state: 'change-quantity', quantity: 1, who: 'C2' })
      await expectCounts(admin.page, 'in cart 1 | in stock 11', 'admin')
      assert.equal(await c1.page.getByTestId(`available-${SKU}`).textContent(), '10 available')
    },
    screenshot: 'demo-step4.png',
  },
  {
    name: 'step 5: Customer 2 takes one more with the quantity control; everyone sees the count',
    actor: 'c2',
    act: ({ c2 }) => click(c2.page, `One more ${TITLE}`),
    expect: [
      {
        who: 'c2',
        label: 'C2 quantity 2',
        show: {
          selector: `[data-testid="product-button-${SKU}"] [data-testid="quantity"]`,
          expect: { text: 'In cart: 2' },
        },
      },
      {
        who: 'admin',
        label: 'inventory "in cart 2"',
        show: countsOf(SKU, 'in cart 2 | in stock 11'),
      },
      {
        who: 'c1',
        label: 'C1 "9 available"',
        show: { selector: `[data-testid="available-${SKU}"]`, expect: { text: '9 available' } },
      },
    ],
    check: async ({ c1, c2, admin }) => {
      await expectButton(c1.page, { ...ADD, who: 'C1' })
      await expectButton(c2.page, { state: 'change-quantity', quantity: 2, who: 'C2' })
      await expectCounts(admin.page, 'in cart 2 | in stock 11', 'admin')
    },
  },
]
