// Identity: bearer tokens and the demo session cookie; forged, malformed, alg-swapped and
// expired tokens are refused; cookie writes must pass the Origin check.
import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createTokenVerifier } from '../../src/server/auth/tokens.js'
import { configFromEnv, createShelfsync, signToken } from '../../src/server/index.js'
import { expectProblem, expectProblemResponse } from '../support/problem.js'
import { apiAs, createProduct, createTestServer, TEST_SECRET } from '../support/server.js'
import { observe } from '../support/shop-state.js'

let server: ReturnType<typeof createTestServer>
const setup = (options: Parameters<typeof createTestServer>[0] = {}) => {
  server = createTestServer(options)
  return server
}
afterEach(() => server?.shop.close())

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const hs256 = (secret: string, data: string) =>
  createHmac('sha256', secret).update(data).digest('base64url')

describe('bearer tokens', () => {
  it('answers 401 auth/required without credentials, on every route but health', async () => {
    const { shop } = setup()
    for (const [method, path] of [
      ['GET', '/api/snapshot'],
      ['GET', '/api/events'],
      ['PUT', '/api/cart/lines/tee'],
      ['DELETE', '/api/cart/lines/tee'],
      ['POST', '/api/checkout'],
      ['POST', '/api/products'],
      ['GET', '/api/no-such-route'],
    ] as const) {
      await expectProblemResponse(await shop.app.request(path, { method }), 401, 'auth/required')
    }
    const health = await shop.app.request('/api/health')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true, epoch: shop.epoch, seq: 0 })
  })

  it('refuses forged, malformed and alg-swapped tokens with 401 auth/invalid', async () => {
    const { shop, clock } = setup()
    const now = Math.floor(clock.now() / 1000)
    const claims = b64({ sub: 'admin', iat: now, exp: now + 3600 })
    const hs256Header = b64({ alg: 'HS256', typ: 'JWT' })
    const good = shop.signToken('ann')
    const [head, , signature] = good.split('.')
    const tokens = {
      'signed with another secret': signToken('another-secret-of-16-chars', {
        user: 'admin',
        now: clock.now(),
      }),
      'claims swapped under a valid signature': `${head}.${claims}.${signature}`,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${claims}.`,
      'alg HS512 with an HS256 signature': `${b64({ alg: 'HS512', typ: 'JWT' })}.${claims}.${hs256(TEST_SECRET, `${b64({ alg: 'HS512', typ: 'JWT' })}.${claims}`)}`,
      'not three parts': 'abc.def',
      'not JSON': `${Buffer.from('nope').toString('base64url')}.${claims}.${signature}`,
      'no user': `${hs256Header}.${b64({ exp: now + 3600 })}.${hs256(TEST_SECRET, `${hs256Header}.${b64({ exp: now + 3600 })}`)}`,
      'truncated signature': good.slice(0, -4),
    }
    for (const [what, token] of Object.entries(tokens)) {
      const answer = await apiAs(shop.app, token).get('/api/snapshot')
      expect(answer.status, what).toBe(401)
      expectProblem(answer, 401, 'auth/invalid')
    }
    for (const header of ['Basic YWRtaW46YWRtaW4=', 'Bearer', `Bearer ${good} extra`]) {
      const response = await shop.app.request('/api/snapshot', {
        headers: { Authorization: header },
      })
      await expectProblemResponse(response, 401, 'auth/invalid')
    }
  })

  it('accepts a token a host app signs with the server’s secret', async () => {
    const { shop, clock } = setup()
    const token = signToken(TEST_SECRET, { user: 'ann', now: clock.now(), ttlMs: 60_000 })
    expect((await apiAs(shop.app, token).get('/api/snapshot')).status).toBe(200)
  })

  it('reads the scheme name case-insensitively, as HTTP defines it', async () => {
    const { shop } = setup()
    const token = shop.signToken('ann')
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'Bearer  ']) {
      const response = await shop.app.request('/api/snapshot', {
        headers: { Authorization: `${scheme} ${token}` },
      })
      expect(response.status, scheme).toBe(200)
    }
  })

  it('refuses a token past its expiry with 401 auth/expired', async () => {
    const { shop, clock } = setup()
    const ann = apiAs(shop.app, shop.signToken('ann', 60_000))
    expect((await ann.get('/api/snapshot')).status).toBe(200)
    clock.advance(60_000)
    expectProblem(await ann.get('/api/snapshot'), 401, 'auth/expired')
    expectProblem(await ann.put('/api/cart/lines/tee', { qty: 1 }), 401, 'auth/expired')
  })

  it('never puts the secret in an answer', async () => {
    const { shop } = setup()
    const answer = await apiAs(shop.app, 'a.b.c').get('/api/snapshot')
    expect(JSON.stringify(answer.body)).not.toContain(TEST_SECRET)
  })
})

describe('the token verifier', () => {
  const now = 1_700_000_000_000
  const token = (user: string, ttlMs = 60_000) => signToken(TEST_SECRET, { user, ttlMs, now })

  it('remembers accepted tokens only, and still judges their expiry on every call', () => {
    const verify = createTokenVerifier(TEST_SECRET, 2)
    const ann = token('ann')
    expect(verify(ann, now, true)).toEqual({ user: 'ann', expiresAt: now + 60_000 })
    expect(verify(ann, now + 1, true)).toEqual({ user: 'ann', expiresAt: now + 60_000 })
    const forged = `${ann.slice(0, -2)}${ann.endsWith('AA') ? 'BB' : 'AA'}`
    for (let i = 0; i < 2; i++) expect(() => verify(forged, now, true)).toThrow(/not valid/)
    expect(() => verify(ann, now + 60_000, true)).toThrow(/expired/)
    expect(() => verify(ann, now + 60_000, false)).toThrow(/expired/)
  })

  it('keeps at most its bound and still accepts a token it had to forget', () => {
    const verify = createTokenVerifier(TEST_SECRET, 2)
    const tokens = ['ann', 'bob', 'cy'].map((user) => token(user))
    for (const t of tokens) verify(t, now, true)
    expect(tokens.map((t) => verify(t, now, false).user)).toEqual(['ann', 'bob', 'cy'])
    const other = signToken('another-secret-of-16-chars', { user: 'ann', now })
    expect(() => verify(other, now, true)).toThrow(/not valid/)
  })
})

describe('demo sessions', () => {
  const session = (user: unknown, url = '/api/session') =>
    server.shop.app.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user }),
    })
  const cookieOf = (response: Response) =>
    (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''

  it('answers a token, the user and the role, and sets an HttpOnly SameSite=Lax cookie', async () => {
    setup({ demo: true })
    const response = await session('ann')
    expect(response.status).toBe(200)
    const body = (await response.json()) as { token: string; user: string; role: string }
    expect(body).toEqual({ token: expect.any(String), user: 'ann', role: 'customer' })
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^shelfsync_token=${body.token.replace(/\./g, '\\.')};`))
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*SameSite=Lax/i)
    expect(cookie).not.toMatch(/;\s*Secure/i)
    expect((await apiAs(server.shop.app, body.token).get('/api/snapshot')).status).toBe(200)
  })

  it('marks the cookie Secure when served over HTTPS', async () => {
    setup({ demo: true })
    const response = await session('ann', 'https://shop.example/api/session')
    expect(response.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
  })

  it('gives the admin role only to the names listed as admins', async () => {
    setup({ demo: true, admins: ['boss', 'ops'] })
    const roles: Record<string, string> = {}
    for (const user of ['boss', 'ops', 'admin', 'ann']) {
      roles[user] = ((await (await session(user)).json()) as { role: string }).role
    }
    expect(roles).toEqual({ boss: 'admin', ops: 'admin', admin: 'customer', ann: 'customer' })
    const token = ((await (await session('admin')).json()) as { token: string }).token
    const body = { sku: 'tee', title: 'Tee', priceCents: 1, onHand: 1 }
    expectProblem(
      await apiAs(server.shop.app, token).post('/api/products', body),
      403,
      'auth/forbidden',
    )
  })

  it('refuses an invalid user name with 400', async () => {
    setup({ demo: true })
    for (const user of ['', 'has space', 'x'.repeat(65), 42]) {
      await expectProblemResponse(await session(user), 400, 'request/invalid')
    }
  })

  it('does not exist with demo mode off: 404', async () => {
    setup({ demo: false })
    await expectProblemResponse(await session('ann'), 404, 'request/not-found')
  })

  it('is off in a server a host application embeds, unless it asks for demo mode', async () => {
    const shop = createShelfsync({ db: ':memory:', secret: TEST_SECRET })
    try {
      expect(shop.config.demo).toBe(false)
      const answer = await shop.app.request('/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'admin' }),
      })
      await expectProblemResponse(answer, 404, 'request/not-found')
      const health = (await (await shop.app.request('/api/health')).json()) as { seq: number }
      expect(health.seq).toBe(0) // no demo catalog either
    } finally {
      await shop.close()
    }
    // `npm start` reads the environment, where demo mode is the protocol's default.
    expect(configFromEnv({}).demo).toBe(true)
    expect(configFromEnv({ SHELFSYNC_DEMO: '0' }).demo).toBe(false)
  })

  it('needs a matching Origin for writes made with the cookie, and none for reads', async () => {
    setup({ demo: true })
    const cookie = cookieOf(await session('ann'))
    const put = (headers: Record<string, string>) =>
      server.shop.app.request('/api/cart/lines/enamel-mug', {
        method: 'PUT',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ qty: 1 }),
      })
    const read = await server.shop.app.request('/api/snapshot', { headers: { Cookie: cookie } })
    expect(read.status).toBe(200)
    const before = await observe(server.as('ann'))
    await expectProblemResponse(await put({}), 403, 'auth/origin')
    await expectProblemResponse(await put({ Origin: 'http://evil.example' }), 403, 'auth/origin')
    await expectProblemResponse(await put({ Origin: 'null' }), 403, 'auth/origin')
    expect(await observe(server.as('ann'))).toEqual(before)
    expect((await put({ Origin: 'http://localhost' })).status).toBe(200)
  })

  it('needs no Origin for writes made with a bearer token', async () => {
    setup()
    await createProduct(server.as('admin'), 'tee', 2)
    const ann = server.as('ann')
    expect((await ann.put('/api/cart/lines/tee', { qty: 1 })).status).toBe(200)
    expect(
      (await ann.put('/api/cart/lines/tee', { qty: 2 }, { Origin: 'http://evil.example' })).status,
    ).toBe(200)
  })
})
