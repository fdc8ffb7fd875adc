// Security headers: nosniff, no framing and no referrer on every answer; a Content-Security-Policy
// on the app's pages; and the protocol's headers on the event stream.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PATHS, pathOf } from '../../src/actions/index.js'
import { serveApp as serveAppFrom } from '../../src/server/serve-app.js'
import { type HttpTestServer, startHttpServer } from '../support/http-server.js'
import { createProduct, createTestServer } from '../support/server.js'
import { readSse } from '../support/sse.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const setup = (options: Parameters<typeof createTestServer>[0] = {}) => {
  const server = createTestServer(options)
  cleanups.push(() => server.shop.close())
  return server
}

const expectBaseHeaders = (headers: Headers, what: string) => {
  expect(headers.get('x-content-type-options'), what).toBe('nosniff')
  expect(headers.get('x-frame-options'), what).toBe('DENY')
  expect(headers.get('referrer-policy'), what).toBe('no-referrer')
}

/** The directives of a Content-Security-Policy, by name. */
const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name as string, values]),
  )

describe('API answers', () => {
  it('carry nosniff, no framing and no referrer on successes and refusals alike', async () => {
    const { shop, as } = setup({ limits: { maxBodyBytes: 64 } })
    const admin = as('admin')
    await createProduct(admin, 'tee', 3)
    const answers: Array<[number, { status: number; headers: Headers }]> = [
      [200, await shop.app.request(PATHS.health)],
      [200, await admin.get(PATHS.snapshot)],
      [200, await as('ann').put(pathOf.cartLine('tee'), { qty: 1 })],
      [401, await shop.app.request(PATHS.snapshot)],
      [403, await as('ann').delete(pathOf.product('tee'))],
      [404, await admin.get('/api/no-such-route')],
      [409, await as('ann').put(pathOf.cartLine('tee'), { qty: 9 })],
      [413, await admin.post(PATHS.products, { title: 'x'.repeat(100) })],
    ]
    for (const [status, answer] of answers) {
      expect(answer.status).toBe(status)
      expectBaseHeaders(answer.headers, String(status))
    }
  })

  it('carry them over a real socket too, where the adapter writes answers without a web Response', async () => {
    const server = await startHttpServer({ limits: { maxBodyBytes: 64 } })
    cleanups.push(() => server.stop())
    const post = (body: unknown) =>
      server.fetchAs('admin', PATHS.products, { method: 'POST', body: JSON.stringify(body) })
    const answers: Array<[number, Response]> = [
      [201, await post({ sku: 'tee', title: 'Tee', priceCents: 1, onHand: 3 })],
      [
        200,
        await server.fetchAs('ann', pathOf.cartLine('tee'), { method: 'PUT', body: '{"qty":1}' }),
      ],
      [404, await server.fetchAs('ann', '/api/no-such-route')],
      [
        409,
        await server.fetchAs('ann', pathOf.cartLine('tee'), { method: 'PUT', body: '{"qty":9}' }),
      ],
      [413, await post({ title: 'x'.repeat(100) })],
    ]
    for (const [status, answer] of answers) {
      expect(answer.status).toBe(status)
      expectBaseHeaders(answer.headers, `${status} over HTTP`)
      await answer.body?.cancel()
    }
  })
})

describe('the app', () => {
  const serveApp = () => {
    const root = mkdtempSync(join(tmpdir(), 'shelfsync-app-'))
    cleanups.push(() => rmSync(root, { recursive: true, force: true }))
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body></body></html>',
    )
    const { shop } = setup()
    serveAppFrom(shop.app, root) // as `npm start` does (src/server/main.ts)
    return shop
  }

  it('leaves paths under /api to the API: one without a route is its 404 problem, not the page', async () => {
    const shop = serveApp()
    const token = `Bearer ${shop.signToken('ann')}`
    for (const path of ['/api/orders/ord_abcdefabcdef', '/api/nothing', '/api/']) {
      const response = await shop.app.request(path, { headers: { Authorization: token } })
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/)
      expect(await response.json()).toMatchObject({ code: 'request/not-found' })
    }
    expect((await shop.app.request('/api/health')).status).toBe(200)
  })

  it('is served with a Content-Security-Policy that allows scripts from itself only', async () => {
    const shop = serveApp()
    for (const path of ['/', '/index.html', '/some/client/route']) {
      const response = await shop.app.request(path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await response.text()).toContain('<!doctype html>')
      expectBaseHeaders(response.headers, path)
      const policy = directives(response.headers.get('content-security-policy') ?? '')
      expect(policy.get('script-src')).toEqual(["'self'"])
      expect(policy.get('default-src')).toEqual(["'self'"])
      expect(policy.get('frame-ancestors')).toEqual(["'none'"])
      expect(policy.get('base-uri')).toEqual(["'self'"])
      for (const values of policy.values()) expect(values).not.toContain('*')
    }
  })
})

describe('the event stream', () => {
  const expectStreamHeaders = (headers: Headers) => {
    expect(headers.get('content-type')).toMatch(/^text\/event-stream\b/)
    expect(headers.get('cache-control')).toBe('no-cache')
    expect(headers.get('x-accel-buffering')).toBe('no')
    expect(headers.get('x-content-type-options')).toBe('nosniff')
  }

  it('carries the protocol’s headers through app.request()', async () => {
    const { as } = setup()
    const response = await as('ann').events()
    expect(response.status).toBe(200)
    expectStreamHeaders(response.headers)
    await readSse(response).close()
  })

  it('carries the protocol’s headers when written straight to the socket', async () => {
    const http: HttpTestServer = await startHttpServer()
    cleanups.push(() => http.stop())
    const response = await http.fetchAs('ann', PATHS.events)
    expect(response.status).toBe(200)
    expectStreamHeaders(response.headers)
    const reader = readSse(response)
    expect((await reader.next()).raw).toMatch(/^retry: \d+$/)
    await reader.close()
  })
})
