// Cart commands: a cart line is a hold that PUT sets and renews and DELETE releases.
import { afterEach, describe, expect, it } from 'vitest'
import { expectProblem } from '../support/problem.js'
import { createProduct, createTestServer } from '../support/server.js'
import { observe } from '../support/shop-state.js'

const TTL = 15 * 60_000
let server: ReturnType<typeof createTestServer>
const setup = async (options: Parameters<typeof createTestServer>[0] = {}) => {
  server = createTestServer(options)
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 3, 2500)
  await createProduct(admin, 'mug', 5, 1400)
  return { ...server, admin, ann: server.as('ann'), bob: server.as('bob') }
}
afterEach(() => server?.shop.close())

const productOf = async (api: ReturnType<typeof server.as>, sku: string) =>
  ((await api.get('/api/snapshot')).body.products as Array<{ sku: string }>).find(
    (p) => p.sku === sku,
  )

describe('PUT /api/cart/lines/:sku', () => {
  it('holds the units at once and answers the line with its expiry', async () => {
    const { ann, bob, clock } = await setup()
    const answer = await ann.put('/api/cart/lines/tee', { qty: 2 })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      seq: 3,
      line: { sku: 'tee', qty: 2, expiresAt: clock.now() + TTL },
    })
    expect(await productOf(bob, 'tee')).toMatchObject({ onHand: 3, held: 2 })
    expect((await ann.get('/api/snapshot')).body.cart).toEqual([answer.body.line])
    expect((await bob.get('/api/snapshot')).body.cart).toEqual([])
  })

  it('sets the quantity rather than adding to it', async () => {
    const { ann } = await setup()
    await ann.put('/api/cart/lines/tee', { qty: 2 })
    await ann.put('/api/cart/lines/tee', { qty: 2 })
    expect(await productOf(ann, 'tee')).toMatchObject({ held: 2 })
    await ann.put('/api/cart/lines/tee', { qty: 1 })
    expect(await productOf(ann, 'tee')).toMatchObject({ held: 1 })
    expect((await ann.get('/api/snapshot')).body.cart).toMatchObject([{ sku: 'tee', qty: 1 }])
  })

  it('renews the expiry on every PUT, the same quantity included', async () => {
    const { ann, clock } = await setup()
    const first = await ann.put('/api/cart/lines/tee', { qty: 1 })
    clock.advance(5 * 60_000)
    const second = await ann.put('/api/cart/lines/tee', { qty: 1 })
    expect(second.body.line.expiresAt).toBe(first.body.line.expiresAt + 5 * 60_000)
    expect(second.body.seq).toBe(first.body.seq + 1)
    expect(await productOf(ann, 'tee')).toMatchObject({ held: 1, version: 2 })
  })

  it('removes the line when the quantity is 0', async () => {
    const { ann } = await setup()
    await ann.put('/api/cart/lines/tee', { qty: 2 })
    const answer = await ann.put('/api/cart/lines/tee', { qty: 0 })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ seq: 4, line: null })
    expect((await ann.get('/api/snapshot')).body.cart).toEqual([])
    expect(await productOf(ann, 'tee')).toMatchObject({ held: 0 })
  })

  it('refuses a hold beyond the available stock with 409 and what is available', async () => {
    const { ann, bob } = await setup()
    await bob.put('/api/cart/lines/tee', { qty: 2 })
    const before = await observe(ann)
    const problem = expectProblem(
      await ann.put('/api/cart/lines/tee', { qty: 2 }),
      409,
      'stock/insufficient',
    )
    expect(problem.available).toBe(1)
    expect(await observe(ann)).toEqual(before)
    expect((await ann.put('/api/cart/lines/tee', { qty: 1 })).status).toBe(200)
    const soldOut = expectProblem(
      await ann.put('/api/cart/lines/tee', { qty: 2 }),
      409,
      'stock/insufficient',
    )
    expect(soldOut.available).toBe(0)
  })

  it('counts the caller’s own hold when raising it', async () => {
    const { ann } = await setup()
    await ann.put('/api/cart/lines/tee', { qty: 2 })
    expect((await ann.put('/api/cart/lines/tee', { qty: 3 })).status).toBe(200)
    expectProblem(await ann.put('/api/cart/lines/tee', { qty: 4 }), 409, 'stock/insufficient')
  })

  it('refuses an unknown sku with 404 product/not-found', async () => {
    const { ann } = await setup()
    expectProblem(await ann.put('/api/cart/lines/hat', { qty: 1 }), 404, 'product/not-found')
  })

  it('treats qty 0 as DELETE: for an unknown or deleted sku, 200 with the current seq and no commit', async () => {
    const { ann, admin } = await setup()
    await ann.put('/api/cart/lines/mug', { qty: 1 })
    expect((await admin.delete('/api/products/mug')).status).toBe(200)
    const before = await observe(ann)
    for (const sku of ['hat', 'mug']) {
      const answer = await ann.put(`/api/cart/lines/${sku}`, { qty: 0 })
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual({ seq: before.seq, line: null })
      expect((await ann.delete(`/api/cart/lines/${sku}`)).body).toEqual({ seq: before.seq })
    }
    expect(await observe(ann)).toEqual(before)
  })

  it('refuses a quantity outside 0 to 99, or a body that names a price or a user', async () => {
    const { ann } = await setup()
    const before = await observe(ann)
    for (const body of [{ qty: -1 }, { qty: 100 }, { qty: 1.5 }, { qty: '1' }, {}]) {
      expectProblem(await ann.put('/api/cart/lines/tee', body), 400, 'request/invalid')
    }
    for (const body of [
      { qty: 1, priceCents: 0 },
      { qty: 1, user: 'bob' },
    ]) {
      expectProblem(await ann.put('/api/cart/lines/tee', body), 400, 'request/invalid')
    }
    expect(await observe(ann)).toEqual(before)
  })

  it('keeps a customer within the cart limits', async () => {
    const { ann, admin } = await setup({ limits: { maxCartLines: 2, maxHeldUnits: 4 } })
    await createProduct(admin, 'cap', 9)
    expect((await ann.put('/api/cart/lines/tee', { qty: 3 })).status).toBe(200)
    expectProblem(await ann.put('/api/cart/lines/mug', { qty: 2 }), 409, 'cart/too-many-units')
    expect((await ann.put('/api/cart/lines/mug', { qty: 1 })).status).toBe(200)
    expectProblem(await ann.put('/api/cart/lines/cap', { qty: 1 }), 409, 'cart/too-many-lines')
  })
})

describe('DELETE /api/cart/lines/:sku', () => {
  it('releases the hold', async () => {
    const { ann, bob } = await setup()
    await ann.put('/api/cart/lines/tee', { qty: 3 })
    const answer = await ann.delete('/api/cart/lines/tee')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ seq: 4 })
    expect(await productOf(bob, 'tee')).toMatchObject({ held: 0 })
    expect((await bob.put('/api/cart/lines/tee', { qty: 3 })).status).toBe(200)
  })

  it('answers 200 with the current seq when there is no line, and commits nothing', async () => {
    const { ann } = await setup()
    const before = await observe(ann)
    const answer = await ann.delete('/api/cart/lines/tee')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ seq: before.seq })
    expect(await observe(ann)).toEqual(before)
  })

  it('releases only the caller’s own line', async () => {
    const { ann, bob } = await setup()
    await bob.put('/api/cart/lines/tee', { qty: 1 })
    await ann.delete('/api/cart/lines/tee')
    expect((await bob.get('/api/snapshot')).body.cart).toMatchObject([{ sku: 'tee', qty: 1 }])
    expect(await productOf(bob, 'tee')).toMatchObject({ held: 1 })
  })
})
