// The brief's story, with two SDK clients and an admin client on a real server, checked through
// the selectors alone: what each screen's button says and what the admin's table shows.
import { describe, expect, it } from 'vitest'
import type { ButtonState, InventoryRow, ShopClient } from '../../src/store/index.js'
import { selectButton, selectInventory } from '../../src/store/index.js'
import { live, until } from './support/clients.js'
import { integrationScope } from './support/scope.js'

const { serve, follow } = integrationScope()

const button = (client: ShopClient, expected: ButtonState) =>
  until(client, (s) => selectButton('tee')(s) === expected, `button "${expected}"`)

const inventory = (client: ShopClient, expected: Omit<InventoryRow, 'sku' | 'available'>) =>
  until(
    client,
    (s) => {
      const row = selectInventory('tee')(s)
      return row?.inCart === expected.inCart && row.inStock === expected.inStock
    },
    `inventory ${JSON.stringify(expected)}`,
  )

describe('the story of the last tee', () => {
  it('keeps both customers and the admin right through add, remove, a rival add and a restock', async () => {
    const server = await serve()
    const connect = async (user: string) => {
      const { client } = follow(server.url, server.token(user))
      await live(client)
      return client
    }
    const admin = await connect('admin')
    await admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 1 })
    const c1 = await connect('c1')
    const c2 = await connect('c2')
    await Promise.all([
      button(c1, 'add'),
      button(c2, 'add'),
      inventory(admin, { inCart: 0, inStock: 1 }),
    ])

    // C1 adds the only one: C2 sees it sold out, the admin sees it in a cart.
    expect((await c1.setCartQty('tee', 1)).ok).toBe(true)
    await Promise.all([button(c2, 'sold-out'), inventory(admin, { inCart: 1, inStock: 1 })])
    expect(selectButton('tee')(c1.store.getState())).toBe('remove')

    // C1 removes it: both may add again.
    expect((await c1.removeFromCart('tee')).ok).toBe(true)
    await Promise.all([
      button(c1, 'add'),
      button(c2, 'add'),
      inventory(admin, { inCart: 0, inStock: 1 }),
    ])

    // C2 adds it: now C1 sees it sold out.
    expect((await c2.setCartQty('tee', 1)).ok).toBe(true)
    await Promise.all([button(c1, 'sold-out'), button(c2, 'remove')])

    // The admin restocks ten: C1 may add, C2 may change the quantity.
    expect((await admin.restock('tee', 10)).ok).toBe(true)
    await Promise.all([
      button(c1, 'add'),
      button(c2, 'change-quantity'),
      inventory(admin, { inCart: 1, inStock: 11 }),
    ])
    expect(selectInventory('tee')(c1.store.getState())).toEqual({
      sku: 'tee',
      inCart: 1,
      inStock: 11,
      available: 10,
    })
  })
})
