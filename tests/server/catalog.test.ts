// Catalog commands (admin): create, patch with If-Match, restock and delete, with their refusals.
import { afterEach, describe, expect, it } from 'vitest'
import type { Commit } from '../../src/actions/index.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { expectProblem } from '../support/problem.js'
import { createProduct, createTestServer } from '../support/server.js'
import { observe } from '../support/shop-state.js'

let server: ReturnType<typeof createTestServer>
const setup = (options: Parameters<typeof createTestServer>[0] = {}) => {
  server = createTestServer(options)
  return { ...server, admin: server.as('admin'), ann: server.as('ann'), bob: server.as('bob') }
}
afterEach(() => server?.shop.close())

describe('POST /api/products', () => {
  it('creates a product at version 1 with nothing held', async () => {
    const { admin } = setup()
    const answer = await createProduct(admin, 'tee', 5, 2500)
    expect(answer.status).toBe(201)
    expect(answer.body).toEqual({
      seq: 1,
      product: {
        sku: 'tee',
        title: 'Product tee',
        priceCents: 2500,
        onHand: 5,
        held: 0,
        version: 1,
      },
    })
    expect(answer.headers.get('etag')).toBe('"1"')
    expect((await admin.get('/api/snapshot')).body.products).toEqual([answer.body.product])
  })

  it('refuses a sku that exists already with 409 product/exists', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    const before = await observe(admin)
    expectProblem(await createProduct(admin, 'tee', 9), 409, 'product/exists')
    expect(await observe(admin)).toEqual(before)
  })

  it('refuses a title with a lone surrogate, which could not be stored as sent', async () => {
    const { admin } = setup()
    const lone = '{"sku":"tee","title":"a\\ud800b","priceCents":1,"onHand":1}'
    expectProblem(await admin.post('/api/products', lone), 400, 'request/invalid')
    const emoji = await admin.post('/api/products', {
      sku: 'tee',
      title: 'Party \u{1f389}',
      priceCents: 1,
      onHand: 1,
    })
    expect(emoji.status).toBe(201)
    expectProblem(
      await admin.patch('/api/products/tee', '{"title":"\\udfff"}'),
      400,
      'request/invalid',
    )
    expect((await admin.get('/api/snapshot')).body.products[0].title).toBe('Party \u{1f389}')
  })

  it('refuses a body that sets held or version', async () => {
    const { admin } = setup()
    const body = { sku: 'tee', title: 'Tee', priceCents: 1, onHand: 1 }
    expectProblem(await admin.post('/api/products', { ...body, held: 1 }), 400, 'request/invalid')
    expectProblem(
      await admin.post('/api/products', { ...body, version: 7 }),
      400,
      'request/invalid',
    )
    expectProblem(
      await admin.post('/api/products', { ...body, sku: 'no spaces' }),
      400,
      'request/invalid',
    )
    expect((await admin.get('/api/snapshot')).body.products).toEqual([])
  })

  it('refuses "." and ".." as skus, which no URL could name again', async () => {
    const { admin } = setup()
    for (const sku of ['.', '..']) {
      const body = { sku, title: 'Dots', priceCents: 1, onHand: 1 }
      const problem = expectProblem(await admin.post('/api/products', body), 400, 'request/invalid')
      expect(problem.detail).toMatch(/"\."/)
    }
    expect((await createProduct(admin, '.tee..', 1)).status).toBe(201)
    expect(
      (await admin.get('/api/snapshot')).body.products.map((p: { sku: string }) => p.sku),
    ).toEqual(['.tee..'])
  })
})

describe('PATCH /api/products/:sku', () => {
  it('changes the named fields and bumps the version by one', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5, 2500)
    const answer = await admin.patch('/api/products/tee', { title: 'Tee, black', priceCents: 2700 })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      seq: 2,
      product: {
        sku: 'tee',
        title: 'Tee, black',
        priceCents: 2700,
        onHand: 5,
        held: 0,
        version: 2,
      },
    })
  })

  it('accepts an If-Match that names the current version', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    const answer = await admin.patch('/api/products/tee', { onHand: 7 }, { 'If-Match': '"1"' })
    expect(answer.status).toBe(200)
    expect(answer.body.product).toMatchObject({ onHand: 7, version: 2 })
    expect(answer.headers.get('etag')).toBe('"2"')
  })

  it('refuses an If-Match of another version with 412 and the current product', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    await admin.patch('/api/products/tee', { title: 'Renamed' })
    const before = await observe(admin)
    const problem = expectProblem(
      await admin.patch('/api/products/tee', { onHand: 1 }, { 'If-Match': '"1"' }),
      412,
      'product/version-mismatch',
    )
    expect(problem.product).toEqual(before.products[0])
    expect(await observe(admin)).toEqual(before)
  })

  it('accepts If-Match as "n", W/"n", a bare n and *', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    const headers = ['"1"', 'W/"2"', ' 3 ', '*']
    for (const [i, header] of headers.entries()) {
      const answer = await admin.patch(
        '/api/products/tee',
        { onHand: 6 + i },
        { 'If-Match': header },
      )
      expect(answer.status).toBe(200)
      expect(answer.body.product.version).toBe(i + 2)
    }
  })

  it('changes nothing and makes no commit for a patch of the values the product has', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5, 2500)
    const same = await admin.patch('/api/products/tee', { title: 'Product tee', priceCents: 2500 })
    expect(same.status).toBe(200)
    expect(same.body).toEqual({ seq: 1, product: expect.objectContaining({ version: 1 }) })
    expect(same.headers.get('etag')).toBe('"1"')
    const changed = await admin.patch('/api/products/tee', { priceCents: 2500, onHand: 6 })
    expect(changed.body).toMatchObject({ seq: 2, product: { onHand: 6, version: 2 } })
    expect((await admin.get('/api/health')).body.seq).toBe(2)
  })

  it('takes a list of tags, matching when any names the current version', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    const answer = await admin.patch('/api/products/tee', { onHand: 6 }, { 'If-Match': '"9", "1"' })
    expect(answer.status).toBe(200)
    // Empty elements are skipped, as RFC 9110 asks of a list.
    const empties = await admin.patch(
      '/api/products/tee',
      { onHand: 8 },
      { 'If-Match': ', "9",, "2",' },
    )
    expect(empties.status).toBe(200)
    expectProblem(
      await admin.patch('/api/products/tee', { onHand: 7 }, { 'If-Match': 'W/"1",  "4"' }),
      412,
      'product/version-mismatch',
    )
  })

  it('answers 412 to a well-formed tag that is no version of the product', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    for (const header of ['"0"', '"abc"', '"-1"', '"01"', '"99999999999999999999999"', '""']) {
      const problem = expectProblem(
        await admin.patch('/api/products/tee', { onHand: 1 }, { 'If-Match': header }),
        412,
        'product/version-mismatch',
      )
      expect(problem.product).toMatchObject({ sku: 'tee', version: 1 })
    }
    expect((await admin.get('/api/snapshot')).body.products[0].onHand).toBe(5)
  })

  it('refuses a malformed If-Match with 400', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    for (const header of ['version 1', '"1', '1"', 'W/1', 'w/"1"', '"1" "2"', ',', ' , ,']) {
      expectProblem(
        await admin.patch('/api/products/tee', { onHand: 1 }, { 'If-Match': header }),
        400,
        'request/invalid',
      )
    }
    expect((await admin.get('/api/snapshot')).body.products[0].version).toBe(1)
  })

  it('refuses on hand below what is held with 409 stock/below-held', async () => {
    const { admin, ann } = setup()
    await createProduct(admin, 'tee', 5)
    await ann.put('/api/cart/lines/tee', { qty: 3 })
    const before = await observe(admin)
    const problem = expectProblem(
      await admin.patch('/api/products/tee', { onHand: 2 }),
      409,
      'stock/below-held',
    )
    expect(problem.held).toBe(3)
    expect(await observe(admin)).toEqual(before)
    expect((await admin.patch('/api/products/tee', { onHand: 3 })).status).toBe(200)
  })

  it('refuses an empty patch and an unknown sku', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    expectProblem(await admin.patch('/api/products/tee', {}), 400, 'request/invalid')
    expectProblem(await admin.patch('/api/products/mug', { onHand: 1 }), 404, 'product/not-found')
  })
})

describe('POST /api/products/:sku/restock', () => {
  it('adds to on hand and streams one stock/changed', async () => {
    const { admin, ann, shop } = setup()
    await createProduct(admin, 'tee', 5)
    await ann.put('/api/cart/lines/tee', { qty: 2 })
    const stream = await openedStream(await ann.events())
    const answer = await admin.post('/api/products/tee/restock', { qty: 10 })
    expect(answer.status).toBe(200)
    expect(answer.body.product).toMatchObject({ onHand: 15, held: 2, version: 3 })
    const [commit] = await commitsThrough(stream.reader, answer.body.seq)
    expect(commit?.actions).toEqual([
      { type: 'stock/changed', payload: { sku: 'tee', onHand: 15, held: 2, version: 3 } },
    ])
    await stream.reader.close()
    expect(shop.epoch).toBe(stream.snapshot?.epoch)
  })

  it('refuses a quantity below 1 and an unknown sku', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    expectProblem(await admin.post('/api/products/tee/restock', { qty: 0 }), 400, 'request/invalid')
    expectProblem(
      await admin.post('/api/products/mug/restock', { qty: 1 }),
      404,
      'product/not-found',
    )
    expect((await admin.get('/api/snapshot')).body.products[0].onHand).toBe(5)
  })
})

describe('DELETE /api/products/:sku', () => {
  it('releases every hold on it first, with reason product-removed', async () => {
    const { admin, ann, bob } = setup()
    await createProduct(admin, 'tee', 5)
    await ann.put('/api/cart/lines/tee', { qty: 1 })
    await bob.put('/api/cart/lines/tee', { qty: 2 })
    const annStream = await openedStream(await ann.events())
    const answer = await admin.delete('/api/products/tee')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ seq: 4 })
    const [commit] = (await commitsThrough(annStream.reader, 4)) as [Commit]
    expect(commit.actions).toEqual([
      {
        type: 'cart/line-removed',
        payload: { user: 'ann', sku: 'tee', reason: 'product-removed' },
      },
      { type: 'product/removed', payload: { sku: 'tee', version: 4 } },
    ])
    expect((await ann.get('/api/snapshot')).body).toMatchObject({ products: [], cart: [] })
    expect((await bob.get('/api/snapshot')).body).toMatchObject({ products: [], cart: [] })
    await annStream.reader.close()
  })

  it('makes a product created again under the same sku continue its versions', async () => {
    const { admin } = setup()
    await createProduct(admin, 'tee', 5)
    await admin.delete('/api/products/tee')
    const again = await createProduct(admin, 'tee', 1)
    expect(again.status).toBe(201)
    expect(again.body.product.version).toBe(3)
  })

  it('cancels the pending orders that hold it, releasing their other products', async () => {
    const { admin, ann, bob } = setup()
    await createProduct(admin, 'tee', 5)
    await createProduct(admin, 'mug', 5)
    await ann.put('/api/cart/lines/tee', { qty: 2 })
    await ann.put('/api/cart/lines/mug', { qty: 1 })
    const order = (await ann.post('/api/checkout')).body.order
    await bob.put('/api/cart/lines/mug', { qty: 1 })
    const bobOrder = (await bob.post('/api/checkout')).body.order // mug only: untouched
    const annStream = await openedStream(await ann.events())
    const answer = await admin.delete('/api/products/tee')
    expect(answer.status).toBe(200)
    const { seq } = answer.body as { seq: number }
    const [commit] = (await commitsThrough(annStream.reader, seq)) as [Commit]
    expect(commit.actions).toEqual([
      { type: 'order/cancelled', payload: { user: 'ann', orderId: order.id } },
      { type: 'stock/changed', payload: { sku: 'mug', onHand: 5, held: 1, version: 4 } },
      { type: 'product/removed', payload: { sku: 'tee', version: 3 } },
    ])
    const snapshot = (await ann.get('/api/snapshot')).body
    expect(snapshot.products.map((p: { sku: string }) => p.sku)).toEqual(['mug'])
    expect(snapshot.orders).toEqual([{ ...order, status: 'cancelled' }])
    expect((await bob.get('/api/snapshot')).body.orders).toEqual([bobOrder])
    // The cancelled order stays cancelled: it cannot be paid.
    expectProblem(await ann.post(`/api/orders/${order.id}/pay`), 409, 'order/not-pending')
    await annStream.reader.close()
  })

  it('releases what several cancelled orders held of another product in one stock/changed', async () => {
    const { admin, ann, bob } = setup()
    await createProduct(admin, 'tee', 5)
    await createProduct(admin, 'mug', 5)
    for (const [user, mugs] of [
      [ann, 1],
      [bob, 2],
    ] as const) {
      await user.put('/api/cart/lines/tee', { qty: 1 })
      await user.put('/api/cart/lines/mug', { qty: mugs })
      await user.post('/api/checkout')
    }
    await ann.put('/api/cart/lines/tee', { qty: 1 }) // a cart line on it as well as the order
    const adminStream = await openedStream(await admin.events())
    const { seq } = (await admin.delete('/api/products/tee')).body as { seq: number }
    const [commit] = (await commitsThrough(adminStream.reader, seq)) as [Commit]
    // The admin sees the public actions: one stock/changed for mug with both orders' units back.
    expect(commit.actions).toEqual([
      { type: 'stock/changed', payload: { sku: 'mug', onHand: 5, held: 0, version: 4 } },
      { type: 'product/removed', payload: { sku: 'tee', version: 5 } },
    ])
    const orders = async (user: typeof ann) =>
      ((await user.get('/api/snapshot')).body.orders as { status: string }[]).map((o) => o.status)
    expect(await orders(ann)).toEqual(['cancelled'])
    expect(await orders(bob)).toEqual(['cancelled'])
    expect((await ann.get('/api/snapshot')).body.cart).toEqual([])
    await adminStream.reader.close()
  })

  it('answers 404 product/not-found for an unknown sku', async () => {
    const { admin } = setup()
    expectProblem(await admin.delete('/api/products/tee'), 404, 'product/not-found')
  })
})

it('bumps a product version on every change of its row, holds included', async () => {
  const { admin, ann } = setup()
  await createProduct(admin, 'tee', 5)
  const versions = [1]
  const read = async () => (await admin.get('/api/snapshot')).body.products[0].version as number
  await ann.put('/api/cart/lines/tee', { qty: 1 })
  versions.push(await read())
  await admin.post('/api/products/tee/restock', { qty: 1 })
  versions.push(await read())
  await ann.delete('/api/cart/lines/tee')
  versions.push(await read())
  await admin.patch('/api/products/tee', { title: 'New' })
  versions.push(await read())
  expect(versions).toEqual([1, 2, 3, 4, 5])
})

it('refuses every catalog route to a customer with 403 auth/forbidden', async () => {
  const { admin, ann } = setup()
  await createProduct(admin, 'tee', 5)
  const before = await observe(admin)
  const body = { sku: 'mug', title: 'Mug', priceCents: 1, onHand: 1 }
  expectProblem(await ann.post('/api/products', body), 403, 'auth/forbidden')
  expectProblem(await ann.patch('/api/products/tee', { onHand: 9 }), 403, 'auth/forbidden')
  expectProblem(await ann.post('/api/products/tee/restock', { qty: 9 }), 403, 'auth/forbidden')
  expectProblem(await ann.delete('/api/products/tee'), 403, 'auth/forbidden')
  expect(await observe(admin)).toEqual(before)
})

it('answers a method no catalog route takes with 404 for everyone, not 403 to a customer', async () => {
  const { admin, ann } = setup()
  await createProduct(admin, 'tee', 5)
  for (const path of ['/api/products', '/api/products/tee', '/api/products/tee/restock']) {
    for (const user of [ann, admin]) {
      expectProblem(await user.get(path), 404, 'request/not-found')
    }
  }
  expectProblem(await ann.put('/api/products/tee', { onHand: 1 }), 404, 'request/not-found')
})
