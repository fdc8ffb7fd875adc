// Orders and timed holds through the SDK against a real server: checkout → pay, checkout → cancel,
// and holds and orders lapsing (the server's clock moved by hand), seen by the other customers.
import { describe, expect, it } from 'vitest'
import type { ShopClient, ShopState } from '../../src/store/index.js'
import {
  remainingMs,
  selectButton,
  selectCheckingOut,
  selectInventory,
  selectNotices,
  selectOpenOrders,
  selectOrderChange,
} from '../../src/store/index.js'
import { createManualClock } from '../support/clock.js'
import { expectSameAsServer, live, until } from './support/clients.js'
import { integrationScope } from './support/scope.js'

const HOLD_TTL_MS = 15 * 60_000

const { serve, follow } = integrationScope()

const setup = async (onHand: number) => {
  const clock = createManualClock()
  const server = await serve({ clock, holdTtlMs: HOLD_TTL_MS })
  const connect = async (user: string): Promise<ShopClient> => {
    const { client } = follow(server.url, server.token(user))
    await live(client)
    return client
  }
  const admin = await connect('admin')
  await admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand })
  return { clock, server, admin, connect }
}

const codes = (state: ShopState): string[] => selectNotices(state).map((notice) => notice.code)

describe('orders through the SDK', () => {
  it('checks out and pays: a pending order with its countdown, then paid and out of stock', async () => {
    const { server, admin, connect } = await setup(5)
    const ann = await connect('ann')
    expect((await ann.setCartQty('tee', 2)).ok).toBe(true)

    const checkingOut = ann.checkout()
    expect(selectCheckingOut(ann.store.getState())).toBe(true)
    expect(ann.store.getState().view.orders).toEqual({})
    const placed = await checkingOut
    if (!placed.ok) throw new Error(placed.problem.code)
    const { order } = placed.value
    expect(order).toMatchObject({ status: 'pending', totalCents: 3000 })

    const open = await until(ann, (s) => !selectCheckingOut(s) && s, 'the order placed')
    expect(selectOpenOrders(open)).toEqual([order])
    expect(open.view.cart).toEqual({})
    // The server's clock is not this machine's; the countdown follows the server's.
    const left = remainingMs(open, order.expiresAt, Date.now())
    expect(left).toBeGreaterThan(HOLD_TTL_MS - 60_000)
    expect(left).toBeLessThanOrEqual(HOLD_TTL_MS)

    const paying = ann.payOrder(order.id)
    expect(selectOrderChange(order.id)(ann.store.getState())).toBe('pay')
    expect(ann.store.getState().view.orders[order.id]?.status).toBe('pending')
    expect((await paying).ok).toBe(true)

    const paid = await until(ann, (s) => selectOrderChange(order.id)(s) === null && s, 'paid')
    expect(paid.view.orders[order.id]?.status).toBe('paid')
    expect(selectOpenOrders(paid)).toEqual([])
    await until(
      admin,
      (s) => selectInventory('tee')(s)?.inStock === 3 && selectInventory('tee')(s)?.inCart === 0,
      'two sold',
    )
    await expectSameAsServer(ann, await server.snapshotOf('ann'))
  })

  it('checks out and cancels: the units come back for everyone', async () => {
    const { server, connect } = await setup(1)
    const ann = await connect('ann')
    const bob = await connect('bob')
    expect((await ann.setCartQty('tee', 1)).ok).toBe(true)
    const placed = await ann.checkout()
    if (!placed.ok) throw new Error(placed.problem.code)
    await until(bob, (s) => selectButton('tee')(s) === 'sold-out', 'sold out for Bob')

    const cancelling = ann.cancelOrder(placed.value.order.id)
    expect(selectOrderChange(placed.value.order.id)(ann.store.getState())).toBe('cancel')
    expect((await cancelling).ok).toBe(true)

    await until(
      ann,
      (s) => s.view.orders[placed.value.order.id]?.status === 'cancelled',
      'cancelled',
    )
    await until(bob, (s) => selectButton('tee')(s) === 'add', 'available for Bob')
    expect(codes(ann.store.getState())).toEqual([])
    await expectSameAsServer(ann, await server.snapshotOf('ann'))
  })

  it('refuses an empty checkout with its notice and invents no order', async () => {
    const { connect } = await setup(1)
    const ann = await connect('ann')
    const result = await ann.checkout()
    expect(!result.ok && result.problem.code).toBe('cart/empty')
    expect(selectCheckingOut(ann.store.getState())).toBe(false)
    expect(ann.store.getState().view.orders).toEqual({})
    expect(codes(ann.store.getState())).toEqual(['cart/empty'])
  })
})

describe('time running out', () => {
  it('releases a lapsed hold: the holder is told, and the customer who tried gets "back in stock"', async () => {
    const { clock, server, connect } = await setup(1)
    const ann = await connect('ann')
    const bob = await connect('bob')
    expect((await ann.setCartQty('tee', 1)).ok).toBe(true)
    await until(bob, (s) => selectButton('tee')(s) === 'sold-out', 'sold out for Bob')
    const refused = await bob.setCartQty('tee', 1)
    expect(!refused.ok && refused.problem.code).toBe('stock/insufficient')

    clock.advance(HOLD_TTL_MS + 1)
    server.shop.releaseLapsed()

    await until(bob, (s) => selectButton('tee')(s) === 'add', 'available again for Bob')
    await until(bob, (s) => codes(s).includes('stock/back') && s, 'the back-in-stock notice')
    expect(selectNotices(bob.store.getState())).toMatchObject([
      { code: 'stock/insufficient', sku: 'tee' },
      { code: 'stock/back', sku: 'tee', message: 'Tee is back in stock.' },
    ])
    await until(ann, (s) => s.view.cart.tee === undefined, 'the hold gone for Ann')
    expect(selectNotices(ann.store.getState())).toMatchObject([
      { code: 'hold/expired', sku: 'tee', message: 'Your hold on Tee ran out.' },
    ])
  })

  it('lets an unpaid order lapse: a late pay is refused, its owner is told, a watcher hears it is back', async () => {
    const { clock, server, connect } = await setup(1)
    const ann = await connect('ann')
    const carol = await connect('carol')
    expect((await ann.setCartQty('tee', 1)).ok).toBe(true)
    const placed = await ann.checkout()
    if (!placed.ok) throw new Error(placed.problem.code)
    const orderId = placed.value.order.id
    // Carol has the sold-out tee open in her app.
    await until(carol, (s) => selectButton('tee')(s) === 'sold-out', 'sold out for Carol')
    carol.watchProduct('tee')

    // No sweep: the late pay's own transaction releases the lapsed order first.
    clock.advance(HOLD_TTL_MS + 1)
    const paid = await ann.payOrder(orderId)
    expect(!paid.ok && paid.problem.code).toBe('order/not-pending')

    await until(ann, (s) => s.view.orders[orderId]?.status === 'expired', 'the order expired')
    expect(selectOpenOrders(ann.store.getState())).toEqual([])
    expect(selectOrderChange(orderId)(ann.store.getState())).toBeNull()
    // The refusal (an answer) and the expiry (a commit) may arrive in either order.
    expect(
      selectNotices(ann.store.getState())
        .map((n) => [n.code, n.orderId])
        .sort(),
    ).toEqual([
      ['order/expired', orderId],
      ['order/not-pending', orderId],
    ])

    await until(carol, (s) => codes(s).includes('stock/back'), 'back in stock for Carol')
    expect(selectButton('tee')(carol.store.getState())).toBe('add')
    await expectSameAsServer(ann, await server.snapshotOf('ann'))
  })
})
