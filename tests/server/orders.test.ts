// Orders: checkout turns the cart into a pending order that keeps its holds; pay and cancel
// move it on once, and only the owner may see or touch it.
import { afterEach, describe, expect, it } from 'vitest'
import type { Commit } from '../../src/actions/index.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { expectProblem } from '../support/problem.js'
import { createProduct, createTestServer } from '../support/server.js'
import { observe } from '../support/shop-state.js'

const TTL = 15 * 60_000
let server: ReturnType<typeof createTestServer>
const setup = async () => {
  server = createTestServer()
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 5, 2500)
  await createProduct(admin, 'mug', 3, 1400)
  const ann = server.as('ann')
  await ann.put('/api/cart/lines/tee', { qty: 2 })
  await ann.put('/api/cart/lines/mug', { qty: 1 })
  return { ...server, admin, ann, bob: server.as('bob') }
}
afterEach(() => server?.shop.close())

const stockOf = async (api: ReturnType<typeof server.as>) =>
  Object.fromEntries(
    (
      (await api.get('/api/snapshot')).body.products as Array<{
        sku: string
        onHand: number
        held: number
      }>
    ).map((p) => [p.sku, { onHand: p.onHand, held: p.held }]),
  )

describe('POST /api/checkout', () => {
  it('answers 201 with a pending order priced at checkout', async () => {
    const { ann, clock } = await setup()
    const answer = await ann.post('/api/checkout')
    expect(answer.status).toBe(201)
    expect(answer.body).toEqual({
      seq: 5,
      order: {
        id: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        status: 'pending',
        lines: [
          { sku: 'mug', qty: 1, priceCents: 1400 },
          { sku: 'tee', qty: 2, priceCents: 2500 },
        ],
        totalCents: 6400,
        expiresAt: clock.now() + TTL,
      },
    })
    expect((await ann.get('/api/snapshot')).body.orders).toEqual([answer.body.order])
  })

  it('empties the cart with reason checked-out and leaves held as it was', async () => {
    const { ann } = await setup()
    const held = await stockOf(ann)
    const stream = await openedStream(await ann.events())
    const answer = await ann.post('/api/checkout')
    const [commit] = (await commitsThrough(stream.reader, answer.body.seq)) as [Commit]
    expect(commit.actions).toEqual([
      { type: 'cart/line-removed', payload: { user: 'ann', sku: 'mug', reason: 'checked-out' } },
      { type: 'cart/line-removed', payload: { user: 'ann', sku: 'tee', reason: 'checked-out' } },
      { type: 'order/placed', payload: { user: 'ann', order: answer.body.order } },
    ])
    expect((await ann.get('/api/snapshot')).body.cart).toEqual([])
    expect(await stockOf(ann)).toEqual(held)
    await stream.reader.close()
  })

  it('keeps the checkout prices when the catalog price changes later', async () => {
    const { ann, admin } = await setup()
    const { body } = await ann.post('/api/checkout')
    await admin.patch('/api/products/tee', { priceCents: 9999 })
    const [order] = (await ann.get('/api/snapshot')).body.orders
    expect(order.totalCents).toBe(6400)
    expect(order).toEqual(body.order)
  })

  it('refuses an empty cart with 409 cart/empty', async () => {
    const { bob } = await setup()
    const before = await observe(bob)
    expectProblem(await bob.post('/api/checkout'), 409, 'cart/empty')
    expect(await observe(bob)).toEqual(before)
  })
})

describe('POST /api/orders/:id/pay', () => {
  it('marks the order paid; its units leave on hand and held', async () => {
    const { ann } = await setup()
    const { body } = await ann.post('/api/checkout')
    const answer = await ann.post(`/api/orders/${body.order.id}/pay`)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ seq: body.seq + 1, order: { ...body.order, status: 'paid' } })
    expect(await stockOf(ann)).toEqual({ tee: { onHand: 3, held: 0 }, mug: { onHand: 2, held: 0 } })
    expect((await ann.get('/api/snapshot')).body.orders).toMatchObject([{ status: 'paid' }])
  })

  it('moves an order on only once', async () => {
    const { ann } = await setup()
    const { body } = await ann.post('/api/checkout')
    await ann.post(`/api/orders/${body.order.id}/pay`)
    const before = await observe(ann)
    const again = expectProblem(
      await ann.post(`/api/orders/${body.order.id}/pay`),
      409,
      'order/not-pending',
    )
    expect(again.orderStatus).toBe('paid')
    expectProblem(await ann.post(`/api/orders/${body.order.id}/cancel`), 409, 'order/not-pending')
    expect(await observe(ann)).toEqual(before)
  })
})

describe('POST /api/orders/:id/cancel', () => {
  it('marks the order cancelled and releases its holds', async () => {
    const { ann, bob } = await setup()
    const { body } = await ann.post('/api/checkout')
    const stream = await openedStream(await bob.events())
    const answer = await ann.post(`/api/orders/${body.order.id}/cancel`)
    expect(answer.status).toBe(200)
    expect(answer.body.order).toEqual({ ...body.order, status: 'cancelled' })
    expect(await stockOf(ann)).toEqual({ tee: { onHand: 5, held: 0 }, mug: { onHand: 3, held: 0 } })
    const [commit] = (await commitsThrough(stream.reader, answer.body.seq)) as [Commit]
    expect(commit.actions.map((a) => a.type)).toEqual(['stock/changed', 'stock/changed'])
    expectProblem(await ann.post(`/api/orders/${body.order.id}/pay`), 409, 'order/not-pending')
    await stream.reader.close()
  })
})

describe('orders of another user', () => {
  it('answers 404 order/not-found for another user’s order, an unknown id and an impossible one', async () => {
    const { ann, bob } = await setup()
    const { body } = await ann.post('/api/checkout')
    const before = await observe(ann)
    for (const path of [
      `/api/orders/${body.order.id}/pay`,
      `/api/orders/${body.order.id}/cancel`,
    ]) {
      expectProblem(await bob.post(path), 404, 'order/not-found')
    }
    expectProblem(await ann.post('/api/orders/ord_nosuchorder/pay'), 404, 'order/not-found')
    expectProblem(await ann.post('/api/orders/not%20an%20id/cancel'), 404, 'order/not-found')
    expect(await observe(ann)).toEqual(before)
    expect((await bob.get('/api/snapshot')).body.orders).toEqual([])
  })
})
