// Refusals: every error is an application/problem+json document with a stable code, bad input is
// a 4xx (never a 5xx), and a refused request changes nothing anyone can observe.
import { afterEach, describe, expect, it } from 'vitest'
import { ERROR_STATUS, type ErrorCode } from '../../src/actions/index.js'
import { ShelfsyncError } from '../../src/server/index.js'
import { expectProblem, expectProblemResponse } from '../support/problem.js'
import { type Api, createProduct, createTestServer } from '../support/server.js'
import { observe } from '../support/shop-state.js'

let server: ReturnType<typeof createTestServer>
const setup = async (options: Parameters<typeof createTestServer>[0] = {}) => {
  server = createTestServer(options)
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 2, 2500)
  const ann = server.as('ann')
  await ann.put('/api/cart/lines/tee', { qty: 1 })
  return { ...server, admin, ann, bob: server.as('bob') }
}
afterEach(() => server?.shop.close())

/** A raw request as `api`'s user, for bodies and headers the test API would not send. */
const raw = (api: Api, path: string, init: RequestInit & { headers?: Record<string, string> }) =>
  server.shop.app.request(path, {
    ...init,
    headers: { Authorization: `Bearer ${api.token}`, ...init.headers },
  })

describe('bodies', () => {
  it('refuses a body that is not JSON, or not sent as application/json, with 400', async () => {
    const { ann } = await setup()
    const put = (body: string, headers: Record<string, string>) =>
      raw(ann, '/api/cart/lines/tee', { method: 'PUT', body, headers })
    const cases: Array<[string, Record<string, string>]> = [
      ['{"qty": 1', { 'Content-Type': 'application/json' }],
      ['qty=1', { 'Content-Type': 'application/json' }],
      ['', { 'Content-Type': 'application/json' }],
      ['{"qty":1}', { 'Content-Type': 'text/plain' }],
      ['{"qty":1}', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['{"qty":1}', { 'Content-Type': 'application/jsonp' }],
      ['{"qty":1}', {}],
    ]
    const before = await observe(ann)
    for (const [body, headers] of cases) {
      await expectProblemResponse(await put(body, headers), 400, 'request/invalid')
    }
    expect(await observe(ann)).toEqual(before)
    const ok = await put('{"qty":2}', { 'Content-Type': 'application/json; charset=utf-8' })
    expect(ok.status).toBe(200)
  })

  it('refuses unknown members and wrong types with 400 and names the problem', async () => {
    const { admin, ann } = await setup()
    const before = await observe(ann)
    const bodies = ['null', '[]', '"qty"', '1', '{"qty":1,"extra":true}', '{"qty":null}']
    bodies.push('{"qty":1e400}', '{"qty":"1"}', '{"qty":true}', '{"__proto__":{"qty":1}}')
    for (const body of bodies) {
      expectProblem(await ann.put('/api/cart/lines/tee', body), 400, 'request/invalid')
    }
    const problem = expectProblem(
      await admin.post('/api/products', { sku: 'mug', title: 'Mug', priceCents: -1, onHand: 1 }),
      400,
      'request/invalid',
    )
    expect(problem.detail).toContain('priceCents')
    expectProblem(
      await admin.post('/api/products/tee/restock', { qty: 1, note: 'x' }),
      400,
      'request/invalid',
    )
    expectProblem(await admin.patch('/api/products/tee', { title: '   ' }), 400, 'request/invalid')
    expect(await observe(ann)).toEqual(before)
  })

  it('takes no body, an empty one or {} on a command without one, and refuses anything else', async () => {
    const { admin, ann } = await setup()
    const before = await observe(ann)
    const json = { 'Content-Type': 'application/json' }
    const refused: Array<[string, string, string, Record<string, string>]> = [
      ['POST', '/api/checkout', 'not json', { 'Content-Type': 'text/plain' }],
      ['POST', '/api/checkout', '{"express":true}', json],
      ['POST', '/api/checkout', '{', json],
      ['DELETE', '/api/cart/lines/tee', '{"bogus":true}', json],
      ['DELETE', '/api/cart/lines/tee', '{}', { 'Content-Type': 'text/plain' }],
    ]
    for (const [method, path, body, headers] of refused) {
      await expectProblemResponse(
        await raw(ann, path, { method, body, headers }),
        400,
        'request/invalid',
      )
    }
    await expectProblemResponse(
      await raw(admin, '/api/products/tee', { method: 'DELETE', body: '[]', headers: json }),
      400,
      'request/invalid',
    )
    expect(await observe(ann)).toEqual(before)
    const emptyObject = await raw(ann, '/api/cart/lines/tee', {
      method: 'DELETE',
      body: ' {} ',
      headers: json,
    })
    expect(emptyObject.status).toBe(200)
    const empty = await raw(ann, '/api/cart/lines/tee', { method: 'DELETE', body: '', headers: {} })
    expect(empty.status).toBe(200)
  })

  it('refuses a query parameter on a command, like an unknown member, and ignores one on a read', async () => {
    const { ann, admin } = await setup()
    const before = await observe(ann)
    expectProblem(await ann.put('/api/cart/lines/tee?qty=2', { qty: 2 }), 400, 'request/invalid')
    expectProblem(await ann.post('/api/checkout?now=1'), 400, 'request/invalid')
    expectProblem(
      await admin.post('/api/products/tee/restock?x', { qty: 1 }),
      400,
      'request/invalid',
    )
    expect(await observe(ann)).toEqual(before)
    // A bare "?" names none, and a "?" in a fragment is no query.
    expect((await ann.put('/api/cart/lines/tee?', { qty: 2 })).status).toBe(200)
    expect((await ann.put('/api/cart/lines/tee#x?y', { qty: 1 })).status).toBe(200)
    expect((await ann.get('/api/snapshot?_=123')).status).toBe(200)
  })

  it('refuses a bad sku in the path with 400', async () => {
    const { admin, ann } = await setup()
    for (const sku of ['bad%20sku', 'x'.repeat(65), '%C3%A9t%C3%A9', 'a%2Fb']) {
      expectProblem(await ann.put(`/api/cart/lines/${sku}`, { qty: 1 }), 400, 'request/invalid')
      expectProblem(await ann.delete(`/api/cart/lines/${sku}`), 400, 'request/invalid')
      expectProblem(
        await admin.patch(`/api/products/${sku}`, { onHand: 1 }),
        400,
        'request/invalid',
      )
    }
  })

  it('refuses a body over the limit with 413 request/too-large', async () => {
    const { admin, ann } = await setup({ limits: { maxBodyBytes: 256 } })
    const before = await observe(ann)
    const title = 'x'.repeat(300)
    const problem = expectProblem(
      await admin.post('/api/products', { sku: 'mug', title, priceCents: 1, onHand: 1 }),
      413,
      'request/too-large',
    )
    expect(problem.limit).toBe(256)
    expectProblem(
      await ann.put('/api/cart/lines/tee', `{"qty":1${' '.repeat(300)}}`),
      413,
      'request/too-large',
    )
    expect(await observe(ann)).toEqual(before)
  })

  it('refuses a default-sized body over 16 KiB', async () => {
    const { admin } = await setup()
    const title = 'x'.repeat(17 * 1024)
    expectProblem(
      await admin.post('/api/products', { sku: 'mug', title, priceCents: 1, onHand: 1 }),
      413,
      'request/too-large',
    )
  })
})

describe('routes', () => {
  it('answers an unknown route with a 404 problem, under /api and elsewhere', async () => {
    const { ann, shop } = await setup()
    expectProblem(await ann.get('/api/nothing-here'), 404, 'request/not-found')
    expectProblem(await ann.post('/api/snapshot'), 404, 'request/not-found')
    expectProblem(await ann.delete('/api/cart'), 404, 'request/not-found')
    await expectProblemResponse(await shop.app.request('/nothing-here'), 404, 'request/not-found')
  })

  it('answers a wrong method on the session route with a 4xx, not a 5xx', async () => {
    await setup({ demo: true })
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const response = await server.shop.app.request('/api/session', { method })
      expect(response.status, method).toBe(404)
      await expectProblemResponse(response, 404, 'request/not-found')
    }
  })
})

describe('limits', () => {
  it('refuses a stream beyond the per-user limit with 429 limit/streams and Retry-After', async () => {
    const { ann, bob } = await setup({ limits: { streams: { perUser: 1, total: 10 } } })
    const first = await ann.events()
    expect(first.status).toBe(200)
    const second = await ann.events()
    await expectProblemResponse(second, 429, 'limit/streams')
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/)
    const other = await bob.events()
    expect(other.status).toBe(200)
    await first.body?.cancel()
    await other.body?.cancel()
  })

  it('refuses writes beyond the rate with 429 limit/rate and Retry-After', async () => {
    const { ann, clock } = await setup({ limits: { rate: { perSecond: 1, burst: 2 } } })
    expect((await ann.put('/api/cart/lines/tee', { qty: 1 })).status).toBe(200)
    const before = await observe(ann)
    const refused = await ann.put('/api/cart/lines/tee', { qty: 2 })
    expectProblem(refused, 429, 'limit/rate')
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(await observe(ann)).toEqual(before)
    clock.advance(1000)
    expect((await ann.put('/api/cart/lines/tee', { qty: 2 })).status).toBe(200)
  })
})

it('leaves the shop exactly as it was after every kind of refusal', async () => {
  const { admin, ann, bob } = await setup()
  await createProduct(admin, 'mug', 1)
  await ann.put('/api/cart/lines/mug', { qty: 1 })
  const { body } = await ann.post('/api/checkout')
  const orderId = body.order.id as string
  await ann.post(`/api/orders/${orderId}/pay`)
  await bob.put('/api/cart/lines/tee', { qty: 1 })

  const refusals: Array<[ErrorCode, () => ReturnType<Api['get']>]> = [
    ['request/invalid', () => bob.put('/api/cart/lines/tee', { qty: 'one' })],
    ['auth/forbidden', () => bob.post('/api/products/tee/restock', { qty: 5 })],
    ['product/not-found', () => bob.put('/api/cart/lines/hat', { qty: 1 })],
    ['order/not-found', () => bob.post(`/api/orders/${orderId}/cancel`)],
    ['product/exists', () => createProduct(admin, 'tee', 9)],
    ['stock/insufficient', () => bob.put('/api/cart/lines/tee', { qty: 2 })],
    ['stock/below-held', () => admin.patch('/api/products/tee', { onHand: 0 })],
    ['order/not-pending', () => ann.post(`/api/orders/${orderId}/cancel`)],
    ['cart/empty', () => ann.post('/api/checkout')],
    [
      'product/version-mismatch',
      () => admin.patch('/api/products/tee', { onHand: 9 }, { 'If-Match': '"1"' }),
    ],
    [
      'auth/required',
      async () => answerOf(await server.shop.app.request('/api/checkout', { method: 'POST' })),
    ],
  ]
  const views = async () => [await observe(admin), await observe(ann), await observe(bob)]
  const before = await views()
  for (const [code, refuse] of refusals) {
    expectProblem(await refuse(), ERROR_STATUS[code], code)
    expect(await views(), code).toEqual(before)
  }
})

const answerOf = async (response: Response) => ({
  status: response.status,
  body: JSON.parse(await response.text()),
  headers: response.headers,
})

it('gives every code a title of its own for people, besides the code for programs', () => {
  const codes = Object.keys(ERROR_STATUS) as ErrorCode[]
  const titles = codes.map((code) => new ShelfsyncError(code, 'detail').toProblem().title)
  for (const [i, title] of titles.entries()) {
    expect(title, codes[i]).toMatch(/^[A-Z][^/]+$/)
  }
  expect(new Set(titles).size).toBe(codes.length)
})

describe('ShelfsyncError.toResponse, for host apps that answer with it themselves', () => {
  it('is the same problem document, status and headers the server sends', async () => {
    const error = new ShelfsyncError(
      'limit/rate',
      'Slow down.',
      { limit: 20 },
      { 'Retry-After': '2' },
    )
    const response = error.toResponse()
    expect(response.headers.get('retry-after')).toBe('2')
    const problem = await expectProblemResponse(response, 429, 'limit/rate')
    expect(problem).toEqual(error.toProblem())
    expect(problem).toMatchObject({ detail: 'Slow down.', limit: 20 })
  })
})
