import { describe, expect, it } from 'vitest'
import {
  remainingMs,
  selectButton,
  selectCheckingOut,
  selectNotices,
  selectOpenOrders,
  selectOrderChange,
} from '../../src/store/selectors.js'
import type { ShopState } from '../../src/store/state.js'
import { createFakeServer, HOLD_TTL_MS } from './support/fake-server.js'
import { createShopper, type Shopper } from './support/shopper.js'

const setup = () => {
  const server = createFakeServer()
  server.createProduct('tee', 2, 'Tee')
  server.createProduct('mug', 1, 'Mug')
  const ann = createShopper(server, 'ann')
  const bob = createShopper(server, 'bob')
  ann.connect()
  bob.connect()
  return { server, ann, bob }
}

/** Every state a subscriber sees from now on. */
const recordStates = (shopper: Shopper): ShopState[] => {
  const states: ShopState[] = []
  shopper.store.subscribe((state) => states.push(state))
  return states
}

/** Ann holds a tee and checks out, all the way through; returns the order id. */
const placeOrder = (server: ReturnType<typeof createFakeServer>, ann: Shopper): string => {
  ann.setCart('tee', 1)
  const id = ann.send({ kind: 'order/checkout' })
  const answer = server.checkout('ann')
  if (!answer.ok) throw new Error(answer.problem.code)
  ann.answer(id, answer)
  ann.sync()
  return answer.order.id
}

describe('checkout', () => {
  it('shows a pending checkout without inventing an order, then the order the server made', () => {
    const { server, ann } = setup()
    ann.setCart('tee', 1)
    const states = recordStates(ann)
    const id = ann.send({ kind: 'order/checkout' })

    expect(selectCheckingOut(ann.state())).toBe(true)
    expect(ann.state().view.orders).toEqual({})
    expect(ann.state().view.cart.tee?.qty).toBe(1)

    const answer = server.checkout('ann')
    ann.answer(id, answer)
    expect(selectCheckingOut(ann.state())).toBe(true)
    ann.sync()

    const state = ann.state()
    expect(selectCheckingOut(state)).toBe(false)
    expect(state.view.cart).toEqual({})
    expect(selectOpenOrders(state)).toMatchObject([
      { status: 'pending', lines: [{ sku: 'tee', qty: 1 }], totalCents: 1000 },
    ])
    // No state in between showed the cart gone without the order there.
    for (const seen of states) {
      const placed = Object.keys(seen.view.orders).length === 1
      expect(seen.view.cart.tee !== undefined || placed).toBe(true)
    }
  })

  it('keeps the held units out of available while the order is pending', () => {
    const { server, ann, bob } = setup()
    placeOrder(server, ann)
    bob.sync()
    expect(bob.state().view.products.tee).toMatchObject({ held: 1, available: 1 })
  })

  it('rolls back a refused checkout with a notice', () => {
    const { server, ann } = setup()
    const id = ann.send({ kind: 'order/checkout' })
    ann.answer(id, server.checkout('ann'))
    expect(selectCheckingOut(ann.state())).toBe(false)
    expect(selectNotices(ann.state())).toMatchObject([
      { code: 'cart/empty', message: 'Your cart is empty.' },
    ])
  })
})

describe('pay and cancel', () => {
  it('marks the order as being paid, keeps it pending until the commit, then shows it paid', () => {
    const { server, ann } = setup()
    const orderId = placeOrder(server, ann)
    const id = ann.send({ kind: 'order/pay', orderId })
    expect(selectOrderChange(orderId)(ann.state())).toBe('pay')
    expect(ann.state().view.orders[orderId]?.status).toBe('pending')

    ann.answer(id, server.closeOrder('ann', orderId, 'paid'))
    expect(selectOrderChange(orderId)(ann.state())).toBe('pay')
    ann.sync()

    const state = ann.state()
    expect(selectOrderChange(orderId)(state)).toBeNull()
    expect(state.view.orders[orderId]?.status).toBe('paid')
    expect(selectOpenOrders(state)).toEqual([])
    expect(state.view.products.tee).toMatchObject({ onHand: 1, held: 0, available: 1 })
  })

  it('cancels: the order leaves the open ones and its units are available again', () => {
    const { server, ann } = setup()
    const orderId = placeOrder(server, ann)
    const id = ann.send({ kind: 'order/cancel', orderId })
    expect(selectOrderChange(orderId)(ann.state())).toBe('cancel')
    ann.answer(id, server.closeOrder('ann', orderId, 'cancelled'))
    ann.sync()
    expect(ann.state().view.orders[orderId]?.status).toBe('cancelled')
    expect(ann.state().view.products.tee).toMatchObject({ onHand: 2, available: 2 })
    expect(ann.state().pending).toEqual({})
  })

  it('rolls back a pay refused as order/not-pending and says why, naming the order', () => {
    const { server, ann } = setup()
    const orderId = placeOrder(server, ann)
    server.closeOrder('ann', orderId, 'expired') // lapsed before Ann's click reached the server
    const id = ann.send({ kind: 'order/pay', orderId })
    ann.answer(id, server.closeOrder('ann', orderId, 'paid'))

    expect(selectOrderChange(orderId)(ann.state())).toBeNull()
    expect(ann.state().notices[id]).toEqual({
      id,
      code: 'order/not-pending',
      message: 'That order is no longer waiting for payment.',
      orderId,
    })
  })
})

describe('open orders and their countdown', () => {
  it('lists pending orders only, the one that lapses first at the top', () => {
    const { server, ann } = setup()
    const first = placeOrder(server, ann)
    server.tick(60_000)
    ann.setCart('mug', 1)
    const second = ann.send({ kind: 'order/checkout' })
    const answer = server.checkout('ann')
    ann.answer(second, answer)
    ann.sync()
    expect(selectOpenOrders(ann.state()).map((order) => order.id)).toEqual([
      first,
      answer.ok ? answer.order.id : '',
    ])

    ann.answer(
      ann.send({ kind: 'order/pay', orderId: first }),
      server.closeOrder('ann', first, 'paid'),
    )
    ann.sync()
    expect(selectOpenOrders(ann.state())).toHaveLength(1)
  })

  it('counts down on the server’s clock, whatever the device’s clock says', () => {
    const { server, ann } = setup()
    // The device's clock is an hour behind the server's.
    ann.connect(1_700_000_000_000 - 3_600_000)
    const orderId = placeOrder(server, ann)
    const order = ann.state().view.orders[orderId]
    const deviceNow = 1_700_000_000_000 - 3_600_000 + 5_000
    expect(remainingMs(ann.state(), order?.expiresAt ?? null, deviceNow)).toBe(HOLD_TTL_MS - 5_000)
  })
})

describe('an order that expires', () => {
  it('leaves a notice and says "back in stock" once the units can be had again', () => {
    const { server, ann, bob } = setup()
    const orderId = placeOrder(server, ann)
    server.closeOrder('ann', orderId, 'expired')
    ann.sync()
    expect(ann.state().view.orders[orderId]?.status).toBe('expired')
    expect(selectNotices(ann.state())).toMatchObject([
      { code: 'order/expired', orderId, message: expect.stringMatching(/not paid in time/) },
    ])

    bob.setCart('tee', 2)
    ann.sync()
    expect(selectButton('tee')(ann.state())).toBe('sold-out')
    bob.remove('tee')
    ann.sync()
    expect(selectNotices(ann.state()).map((notice) => notice.code)).toEqual([
      'order/expired',
      'stock/back',
    ])
  })

  it('tells the user of an order that lapsed while a snapshot replaced the stream', () => {
    const { server, ann } = setup()
    const orderId = placeOrder(server, ann)
    server.closeOrder('ann', orderId, 'expired')
    ann.connect() // a snapshot of the same database, not the commit
    expect(ann.state().view.orders[orderId]?.status).toBe('expired')
    expect(selectNotices(ann.state())).toMatchObject([{ code: 'order/expired', orderId }])
    expect(ann.state().wanted).toEqual({ tee: 1 })
    ann.connect()
    expect(selectNotices(ann.state())).toHaveLength(1)
  })

  it('gives no notice when an order is paid or cancelled', () => {
    const { server, ann } = setup()
    const orderId = placeOrder(server, ann)
    ann.answer(
      ann.send({ kind: 'order/cancel', orderId }),
      server.closeOrder('ann', orderId, 'cancelled'),
    )
    ann.sync()
    expect(selectNotices(ann.state())).toEqual([])
    expect(ann.state().wanted).toEqual({})
  })
})

describe('watching a product', () => {
  it('says "back in stock" when a watched sold-out product becomes available', () => {
    const { server, ann, bob } = setup()
    bob.setCart('mug', 1)
    ann.sync()
    ann.dispatch({ type: 'watch/started', sku: 'mug' })
    server.restock('tee', 1)
    ann.sync()
    expect(selectNotices(ann.state())).toEqual([])

    bob.remove('mug')
    ann.sync()
    expect(selectNotices(ann.state())).toMatchObject([
      { code: 'stock/back', sku: 'mug', message: 'Mug is back in stock.' },
    ])
    expect(ann.state().wanted).toEqual({})
  })

  it('says nothing once the app stops watching', () => {
    const { ann, bob } = setup()
    bob.setCart('mug', 1)
    ann.sync()
    ann.dispatch({ type: 'watch/started', sku: 'mug' })
    ann.dispatch({ type: 'watch/stopped', sku: 'mug' })
    bob.remove('mug')
    ann.sync()
    expect(selectNotices(ann.state())).toEqual([])
  })

  it('does not lower the units a refused hold waits for', () => {
    const { server, ann, bob } = setup()
    bob.setCart('tee', 1)
    ann.sync()
    ann.answer(ann.send({ kind: 'cart/set', sku: 'tee', qty: 2 }), server.setCart('ann', 'tee', 2))
    ann.dispatch({ type: 'watch/started', sku: 'tee' })
    expect(ann.state().wanted).toEqual({ tee: 2 })
  })
})
