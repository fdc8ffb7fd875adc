import { describe, expect, it } from 'vitest'
import {
  PER_KEY_SELECTORS,
  remainingMs,
  selectButton,
  selectCartLines,
  selectCartTotalCents,
  selectInventory,
  selectIsPending,
  selectLoaded,
  selectOrder,
  selectProduct,
  selectProducts,
} from '../../src/store/selectors.js'
import { createFakeServer } from './support/fake-server.js'
import { createShopper } from './support/shopper.js'

describe('selectLoaded', () => {
  it('is false until the first snapshot is in, then true', () => {
    const server = createFakeServer()
    server.createProduct('ticket', 1, 'Ticket')
    const c1 = createShopper(server, 'c1')
    expect(selectLoaded(c1.state())).toBe(false)
    expect(selectButton('ticket')(c1.state())).toBe('sold-out')
    c1.connect()
    expect(selectLoaded(c1.state())).toBe(true)
    expect(selectButton('ticket')(c1.state())).toBe('add')
  })
})

describe('the story of the brief, through the selectors', () => {
  it('moves both customers’ buttons as the one item is held, released, held and restocked', () => {
    const server = createFakeServer()
    server.createProduct('ticket', 1, 'Ticket')
    const c1 = createShopper(server, 'c1')
    const c2 = createShopper(server, 'c2')
    c1.connect()
    c2.connect()
    const buttons = () => [c1.button('ticket'), c2.button('ticket')]
    expect(buttons()).toEqual(['add', 'add'])

    c1.setCart('ticket', 1)
    c2.sync()
    expect(buttons()).toEqual(['remove', 'sold-out'])

    c1.remove('ticket')
    c2.sync()
    expect(buttons()).toEqual(['add', 'add'])

    c2.setCart('ticket', 1)
    c1.sync()
    expect(buttons()).toEqual(['sold-out', 'remove'])

    server.restock('ticket', 10)
    c1.sync()
    c2.sync()
    expect(buttons()).toEqual(['add', 'change-quantity'])
    expect(selectInventory('ticket')(c1.state())).toEqual({
      sku: 'ticket',
      inCart: 1,
      inStock: 11,
      available: 10,
    })
  })

  it('shows the pressing customer’s button change before the server answers', () => {
    const server = createFakeServer()
    server.createProduct('ticket', 1)
    const c1 = createShopper(server, 'c1')
    c1.connect()
    c1.send({ kind: 'cart/set', sku: 'ticket', qty: 1 })
    expect(c1.button('ticket')).toBe('remove')
    expect(selectIsPending('ticket')(c1.state())).toBe(true)
    expect(selectIsPending('other')(c1.state())).toBe(false)
  })

  it('keeps the quantity control for a customer holding several units once none are left', () => {
    const server = createFakeServer()
    server.createProduct('ticket', 3)
    const c1 = createShopper(server, 'c1')
    c1.connect()
    c1.setCart('ticket', 3)
    // Nothing more to add, but Remove would take all three: the control can still step down.
    expect(c1.button('ticket')).toBe('change-quantity')
    // Holding one when someone else takes the rest: Remove, as in the brief.
    c1.setCart('ticket', 1)
    const c2 = createShopper(server, 'c2')
    c2.connect()
    c2.setCart('ticket', 2)
    c1.sync()
    expect(c1.button('ticket')).toBe('remove')
  })
})

describe('selectors', () => {
  const setup = () => {
    const server = createFakeServer()
    server.createProduct('b-mug', 3, 'Mug')
    server.createProduct('a-tee', 2, 'Tee')
    const ann = createShopper(server, 'ann')
    ann.connect()
    return { server, ann }
  }

  it('lists products by sku and gives the same array until a product changes', () => {
    const { server, ann } = setup()
    const first = selectProducts(ann.state())
    expect(first.map((product) => product.sku)).toEqual(['a-tee', 'b-mug'])
    ann.dispatch({ type: 'notice/dismissed', id: 'none' })
    ann.dispatch({
      type: 'sync/status-changed',
      info: { status: 'live', attempt: 0, lastError: null, retryAt: null },
    })
    expect(selectProducts(ann.state())).toBe(first)
    server.restock('b-mug', 1)
    ann.sync()
    expect(selectProducts(ann.state())).not.toBe(first)
  })

  it('gives the same product and inventory row while that product does not change', () => {
    const { server, ann } = setup()
    const tee = selectProduct('a-tee')(ann.state())
    const row = selectInventory('a-tee')(ann.state())
    server.restock('b-mug', 1)
    ann.sync()
    expect(selectProduct('a-tee')(ann.state())).toBe(tee)
    expect(selectInventory('a-tee')(ann.state())).toBe(row)
    expect(selectProduct('a-tee')).toBe(selectProduct('a-tee'))
  })

  it('keeps a bounded number of per-key selectors, dropping the one used longest ago', () => {
    const first = selectOrder('order-0')
    const used = selectOrder('order-1')
    expect(selectOrder('order-0')).toBe(first)
    // Two keys past the bound: first-in-first-out would drop order-1 too.
    for (let i = 2; i <= PER_KEY_SELECTORS + 1; i++) {
      selectOrder(`order-${i}`)
      // order-1 stays in use the whole time, as a product on screen does.
      if (i % 1000 === 0) expect(selectOrder('order-1')).toBe(used)
    }
    const newest = selectOrder(`order-${PER_KEY_SELECTORS}`)
    expect(selectOrder(`order-${PER_KEY_SELECTORS}`)).toBe(newest)
    expect(selectOrder('order-1')).toBe(used)
    // order-0, used longest ago, was dropped, and is built again when asked for.
    expect(selectOrder('order-0')).not.toBe(first)
  })

  it('says sold-out for a product it does not know', () => {
    const { ann } = setup()
    expect(selectButton('nothing')(ann.state())).toBe('sold-out')
  })

  it('lists the cart and totals it at the current prices', () => {
    const { ann } = setup()
    ann.setCart('b-mug', 2)
    ann.setCart('a-tee', 1)
    expect(selectCartLines(ann.state()).map((line) => [line.sku, line.qty])).toEqual([
      ['a-tee', 1],
      ['b-mug', 2],
    ])
    expect(selectCartTotalCents(ann.state())).toBe(3000)
  })

  it('counts a hold down on the server’s clock even when the local clock is wrong', () => {
    const { server, ann } = setup()
    const serverTime = server.snapshot('ann').serverTime
    ann.connect(serverTime - 60_000) // the device's clock is a minute behind
    ann.setCart('a-tee', 1)
    const line = ann.state().view.cart['a-tee']
    const localNow = serverTime - 60_000 + 1_000 // one second later, by the wrong clock
    expect(remainingMs(ann.state(), line?.expiresAt ?? null, localNow)).toBe(900_000 - 1_000)
    expect(remainingMs(ann.state(), null, localNow)).toBeNull()
  })
})
