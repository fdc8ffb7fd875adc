// Timed holds and orders with a manual clock: each lapses exactly once, the stream shows it, and
// a lapsed hold never blocks a buyer.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Commit } from '../../src/actions/index.js'
import { RECHECK_MS } from '../../src/server/expiry-timer.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { expectProblem } from '../support/problem.js'
import { createProduct, createTestServer } from '../support/server.js'
import { observe } from '../support/shop-state.js'

const TTL = 15 * 60_000
let server: ReturnType<typeof createTestServer>
const setup = async () => {
  server = createTestServer()
  const admin = server.as('admin')
  await createProduct(admin, 'ticket', 1, 8900)
  await createProduct(admin, 'mark', 1000)
  return { ...server, admin, ann: server.as('ann'), bob: server.as('bob') }
}
afterEach(() => server?.shop.close())

/** A public commit everyone's stream receives: reading up to it shows what came before. */
const mark = async (admin: ReturnType<typeof server.as>): Promise<number> =>
  (await admin.post('/api/products/mark/restock', { qty: 1 })).body.seq

describe('a hold', () => {
  it('lapses exactly once when the clock passes its expiry', async () => {
    const { ann, admin, clock, shop } = await setup()
    const { body } = await ann.put('/api/cart/lines/ticket', { qty: 1 })
    const stream = await openedStream(await ann.events())
    const seq = (await observe(ann)).seq

    clock.set(body.line.expiresAt - 1)
    shop.releaseLapsed()
    expect((await observe(ann)).seq).toBe(seq)

    clock.set(body.line.expiresAt)
    shop.releaseLapsed()
    shop.releaseLapsed()
    clock.advance(TTL)
    shop.releaseLapsed()
    const after = await observe(ann)
    expect(after.seq).toBe(seq + 1)
    expect(after.cart).toEqual([])
    expect(after.products.find((p) => p.sku === 'ticket')).toMatchObject({ onHand: 1, held: 0 })

    const commits = await commitsThrough(stream.reader, await mark(admin))
    expect(commits.map((c) => c.seq)).toEqual([seq + 1, seq + 2])
    expect(commits[0]?.actions).toEqual([
      { type: 'cart/line-removed', payload: { user: 'ann', sku: 'ticket', reason: 'expired' } },
      { type: 'stock/changed', payload: { sku: 'ticket', onHand: 1, held: 0, version: 3 } },
    ])
    await stream.reader.close()
  })

  it('is released by the server’s own timer, with nobody calling for it', async () => {
    // Node's timers faked, the wall clock manual: the server's expiry timer must be running.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { ann, clock } = await setup()
      const { body } = await ann.put('/api/cart/lines/ticket', { qty: 1 })
      const seq = (await observe(ann)).seq
      clock.set(body.line.expiresAt)
      vi.advanceTimersByTime(RECHECK_MS)
      const after = await observe(ann)
      expect(after.seq).toBe(seq + 1)
      expect(after.cart).toEqual([])
      expect(after.products.find((p) => p.sku === 'ticket')).toMatchObject({ held: 0 })
    } finally {
      vi.useRealTimers()
    }
  })

  it('never blocks a buyer once lapsed, even before any sweep has run', async () => {
    const { ann, bob, clock } = await setup()
    const { body } = await ann.put('/api/cart/lines/ticket', { qty: 1 })
    const stream = await openedStream(await bob.events())
    expectProblem(await bob.put('/api/cart/lines/ticket', { qty: 1 }), 409, 'stock/insufficient')

    clock.set(body.line.expiresAt + 1)
    const answer = await bob.put('/api/cart/lines/ticket', { qty: 1 })
    expect(answer.status).toBe(200)
    const commits = await commitsThrough(stream.reader, answer.body.seq)
    expect(commits).toHaveLength(2)
    const [release, hold] = commits as [Commit, Commit]
    expect(release.actions).toEqual([
      { type: 'stock/changed', payload: { sku: 'ticket', onHand: 1, held: 0, version: 3 } },
    ])
    expect(hold.actions).toEqual([
      {
        type: 'cart/line-set',
        payload: { user: 'bob', sku: 'ticket', qty: 1, expiresAt: clock.now() + TTL },
      },
      { type: 'stock/changed', payload: { sku: 'ticket', onHand: 1, held: 1, version: 4 } },
    ])
    expect((await ann.get('/api/snapshot')).body.cart).toEqual([])
    await stream.reader.close()
  })

  it('is kept past its first expiry when a PUT renewed it', async () => {
    const { ann, clock, shop } = await setup()
    const first = await ann.put('/api/cart/lines/ticket', { qty: 1 })
    clock.advance(10 * 60_000)
    const renewed = await ann.put('/api/cart/lines/ticket', { qty: 1 })
    expect(renewed.body.line.expiresAt).toBe(clock.now() + TTL)

    clock.set(first.body.line.expiresAt + 1)
    shop.releaseLapsed()
    expect((await ann.get('/api/snapshot')).body.cart).toEqual([renewed.body.line])

    clock.set(renewed.body.line.expiresAt)
    shop.releaseLapsed()
    expect((await ann.get('/api/snapshot')).body.cart).toEqual([])
  })
})

describe('a pending order', () => {
  const checkedOut = async () => {
    const context = await setup()
    await context.ann.put('/api/cart/lines/ticket', { qty: 1 })
    const { body } = await context.ann.post('/api/checkout')
    return { ...context, order: body.order as { id: string; expiresAt: number } }
  }

  it('keeps its units past the cart’s expiry until its own', async () => {
    const { ann, clock, shop, order } = await checkedOut()
    expect(order.expiresAt).toBe(clock.now() + TTL)
    clock.set(order.expiresAt - 1)
    shop.releaseLapsed()
    const before = await observe(ann)
    expect(before.orders).toMatchObject([{ status: 'pending' }])
    expect(before.products.find((p) => p.sku === 'ticket')).toMatchObject({ held: 1 })
  })

  it('expires exactly once and gives its units back to stock', async () => {
    const { ann, admin, clock, shop, order } = await checkedOut()
    const stream = await openedStream(await ann.events())
    const seq = (await observe(ann)).seq
    clock.set(order.expiresAt)
    shop.releaseLapsed()
    shop.releaseLapsed()
    const after = await observe(ann)
    expect(after.seq).toBe(seq + 1)
    expect(after.orders).toMatchObject([{ id: order.id, status: 'expired' }])
    expect(after.products.find((p) => p.sku === 'ticket')).toMatchObject({ onHand: 1, held: 0 })

    const commits = await commitsThrough(stream.reader, await mark(admin))
    expect(commits).toHaveLength(2)
    expect(commits[0]?.actions).toEqual([
      { type: 'order/expired', payload: { user: 'ann', orderId: order.id } },
      { type: 'stock/changed', payload: { sku: 'ticket', onHand: 1, held: 0, version: 3 } },
    ])
    await stream.reader.close()
  })

  it('cannot be paid after its expiry: 409 order/not-pending', async () => {
    const { ann, clock, shop, order } = await checkedOut()
    clock.set(order.expiresAt + 1)
    const problem = expectProblem(
      await ann.post(`/api/orders/${order.id}/pay`),
      409,
      'order/not-pending',
    )
    expect(problem.orderStatus).toBe('expired')
    shop.releaseLapsed()
    const after = await observe(ann)
    expect(after.orders).toMatchObject([{ status: 'expired' }])
    expect(after.products.find((p) => p.sku === 'ticket')).toMatchObject({ onHand: 1, held: 0 })
    expectProblem(await ann.post(`/api/orders/${order.id}/cancel`), 409, 'order/not-pending')
  })

  it('is not expired once paid', async () => {
    const { ann, clock, shop, order } = await checkedOut()
    expect((await ann.post(`/api/orders/${order.id}/pay`)).status).toBe(200)
    const before = await observe(ann)
    clock.set(order.expiresAt + TTL)
    shop.releaseLapsed()
    expect(await observe(ann)).toEqual(before)
    expect(before.products.find((p) => p.sku === 'ticket')).toMatchObject({ onHand: 0, held: 0 })
  })
})

describe('a refused command after a lapse', () => {
  it('still releases the lapsed holds it found, and the refusal changes nothing else', async () => {
    const { shop, clock, as } = createTestServer({ holdTtlMs: 60_000 })
    const admin = as('admin')
    await createProduct(admin, 'ticket', 1)
    expect((await as('ann').put('/api/cart/lines/ticket', { qty: 1 })).status).toBe(200)
    clock.advance(61_000)
    // Bob asks for more than exists: refused, but Ann's lapsed hold is released in the same transaction.
    const refused = await as('bob').put('/api/cart/lines/ticket', { qty: 2 })
    expect(refused.status).toBe(409)
    const snapshot = await as('ann').get('/api/snapshot')
    expect(snapshot.body.cart).toEqual([])
    expect(snapshot.body.products[0]).toMatchObject({ sku: 'ticket', held: 0, onHand: 1 })
    expect((await as('bob').get('/api/snapshot')).body.cart).toEqual([])
    await shop.close()
  })
})
