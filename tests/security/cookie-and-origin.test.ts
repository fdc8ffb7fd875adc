// The session cookie and CSRF: the cookie's attributes, the Origin check on cookie-authenticated
// writes (bearer writes need none), and CORS: off by default, an exact allowlist when asked.
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { PATHS, pathOf, SESSION_COOKIE } from '../../src/actions/index.js'
import { createShelfsync } from '../../src/server/index.js'
import { expectProblemResponse } from '../support/problem.js'
import { createProduct, TEST_SECRET } from '../support/server.js'
import { everyApiRoute, requestOf } from './support/routes.js'
import { createWatchedServer, type WatchedServer } from './support/watched-server.js'

// app.request() serves http://localhost: that is the server's own origin here.
const OWN_ORIGIN = 'http://localhost'

let server: WatchedServer
const setup = async (options: Parameters<typeof createWatchedServer>[0] = {}) => {
  server = createWatchedServer({ demo: true, ...options })
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 20)
  return server
}
afterEach(() => server?.dispose())

/** Signs in through the demo session route; answers the Set-Cookie header and the token. */
const signIn = async (
  user: string,
  url: string = PATHS.session,
  headers: Record<string, string> = {},
) => {
  const response = await server.shop.app.request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ user }),
  })
  expect(response.status).toBe(200)
  const { token } = (await response.json()) as { token: string }
  return { setCookie: response.headers.get('set-cookie') ?? '', token }
}
const attributes = (setCookie: string) =>
  setCookie
    .split(';')
    .slice(1)
    .map((attribute) => attribute.trim().toLowerCase())

const withCookie = (token: string, headers: Record<string, string> = {}) => ({
  Cookie: `${SESSION_COOKIE}=${token}`,
  ...headers,
})

describe('the session cookie', () => {
  it('holds the session token and is HttpOnly, SameSite=Lax, Path=/ and not Secure over HTTP', async () => {
    await setup()
    const { setCookie, token } = await signIn('ann')
    expect(setCookie.startsWith(`${SESSION_COOKIE}=${token};`)).toBe(true)
    const flags = attributes(setCookie)
    expect(flags).toContain('httponly')
    expect(flags).toContain('samesite=lax')
    expect(flags).toContain('path=/')
    expect(flags).not.toContain('secure')
    expect(flags.some((flag) => flag.startsWith('domain='))).toBe(false)
  })

  it('is Secure when the request came over HTTPS, directly or through a proxy', async () => {
    await setup()
    const direct = await signIn('ann', `https://shop.example${PATHS.session}`)
    expect(attributes(direct.setCookie)).toContain('secure')
    const proxied = await signIn('ann', PATHS.session, { 'X-Forwarded-Proto': 'https' })
    expect(attributes(proxied.setCookie)).toContain('secure')
    const plain = await signIn('ann', PATHS.session, { 'X-Forwarded-Proto': 'http' })
    expect(attributes(plain.setCookie)).not.toContain('secure')
    const chained = await signIn('ann', PATHS.session, { 'X-Forwarded-Proto': 'https, http' })
    expect(attributes(chained.setCookie)).toContain('secure')
  })
})

describe('writes authenticated by the cookie', () => {
  const prepare = async () => {
    await setup()
    const ann = server.as('ann')
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 1 })).status).toBe(200)
    const order = (await ann.post<{ order: { id: string } }>(PATHS.checkout)).body.order
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 2 })).status).toBe(200)
    const writes = everyApiRoute({ sku: 'tee', orderId: order.id }).filter(
      (route) => route.method !== 'GET' && route.access !== 'public',
    )
    expect(writes.map((route) => route.method).sort()).toEqual(
      ['DELETE', 'DELETE', 'PATCH', 'POST', 'POST', 'POST', 'POST', 'POST', 'PUT'].sort(),
    )
    const cookies = { admin: (await signIn('admin')).token, ann: (await signIn('ann')).token }
    return {
      writes,
      cookieOf: (access: string) => (access === 'admin' ? cookies.admin : cookies.ann),
    }
  }

  it('are refused without an Origin with 403 auth/origin, and change nothing', async () => {
    const { writes, cookieOf } = await prepare()
    for (const route of writes) {
      const init = requestOf(route, withCookie(cookieOf(route.access)))
      const response = await server.unchanged(
        () => server.shop.app.request(route.path, init),
        route.name,
      )
      await expectProblemResponse(response, 403, 'auth/origin')
    }
  })

  it('are refused from a foreign Origin, look-alikes included, and change nothing', async () => {
    const { writes, cookieOf } = await prepare()
    const foreign = [
      'https://evil.example',
      'null',
      'http://localhost.evil.example',
      'http://evil.example/http://localhost',
      'https://localhost',
      'http://localhost:8080',
      'http://localhost/',
      'HTTP://LOCALHOST',
      '',
    ]
    for (const route of writes) {
      for (const origin of foreign) {
        const init = requestOf(route, withCookie(cookieOf(route.access), { Origin: origin }))
        const response = await server.unchanged(
          () => server.shop.app.request(route.path, init),
          `${route.name} from ${origin}`,
        )
        await expectProblemResponse(response, 403, 'auth/origin')
      }
    }
  })

  it('are carried out when the Origin is the server’s own', async () => {
    const { cookieOf } = await prepare()
    const put = await server.shop.app.request(pathOf.cartLine('tee'), {
      method: 'PUT',
      headers: withCookie(cookieOf('customer'), {
        Origin: OWN_ORIGIN,
        'Content-Type': 'application/json',
      }),
      body: JSON.stringify({ qty: 3 }),
    })
    expect(put.status).toBe(200)
    const patch = await server.shop.app.request(pathOf.product('tee'), {
      method: 'PATCH',
      headers: withCookie(cookieOf('admin'), {
        Origin: OWN_ORIGIN,
        'Content-Type': 'application/json',
      }),
      body: JSON.stringify({ title: 'Tee, edited' }),
    })
    expect(patch.status).toBe(200)
    const snapshot = await server.as('ann').get('/api/snapshot')
    expect(snapshot.body.cart).toEqual([expect.objectContaining({ sku: 'tee', qty: 3 })])
    expect(snapshot.body.products).toContainEqual(
      expect.objectContaining({ sku: 'tee', title: 'Tee, edited' }),
    )
  })

  it('judge the own origin by the proxy’s X-Forwarded-Proto and Host', async () => {
    const { cookieOf } = await prepare()
    const write = (origin: string) =>
      server.shop.app.request(pathOf.cartLine('tee'), {
        method: 'DELETE',
        headers: withCookie(cookieOf('customer'), {
          Origin: origin,
          Host: 'shop.example',
          'X-Forwarded-Proto': 'https',
        }),
      })
    await expectProblemResponse(await write('http://shop.example'), 403, 'auth/origin')
    expect((await write('https://shop.example')).status).toBe(200)
  })

  it('judge it by X-Forwarded-Host when the proxy rewrote Host, taking the first of a chain', async () => {
    const { cookieOf } = await prepare()
    const write = (origin: string, forwarded: Record<string, string>) =>
      server.shop.app.request(pathOf.cartLine('tee'), {
        method: 'DELETE',
        headers: withCookie(cookieOf('customer'), {
          Origin: origin,
          Host: '127.0.0.1:8787',
          ...forwarded,
        }),
      })
    const proxied = { 'X-Forwarded-Host': 'shop.example', 'X-Forwarded-Proto': 'https' }
    expect((await write('https://shop.example', proxied)).status).toBe(200)
    // Two proxies: the first values are the browser's side.
    const chained = {
      'X-Forwarded-Host': 'shop.example, edge.internal',
      'X-Forwarded-Proto': 'https, http',
    }
    expect((await write('https://shop.example', chained)).status).toBe(200)
    // The proxy's spelling of the host does not matter: it is compared as a browser writes it.
    const spelled = { 'X-Forwarded-Host': 'Shop.Example:443', 'X-Forwarded-Proto': 'HTTPS' }
    expect((await write('https://shop.example', spelled)).status).toBe(200)
    // The host the proxy talked to is not the page's origin any more, nor is a later hop.
    for (const origin of [
      'https://127.0.0.1:8787',
      'http://127.0.0.1:8787',
      'https://edge.internal',
    ]) {
      await expectProblemResponse(await write(origin, chained), 403, 'auth/origin')
    }
  })

  it('need no Origin for reads', async () => {
    const { cookieOf } = await prepare()
    const response = await server.shop.app.request('/api/snapshot', {
      headers: withCookie(cookieOf('customer')),
    })
    expect(response.status).toBe(200)
  })
})

describe('writes authenticated by a bearer token', () => {
  it('need no Origin, and a foreign Origin does not stop them', async () => {
    await setup()
    const ann = server.as('ann')
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 1 })).status).toBe(200)
    expect(
      (await ann.put(pathOf.cartLine('tee'), { qty: 2 }, { Origin: 'https://evil.example' }))
        .status,
    ).toBe(200)
    expect((await server.as('admin').post(pathOf.restock('tee'), { qty: 1 })).status).toBe(200)
  })

  it('win over a cookie sent alongside: the bearer identity is the one that acts', async () => {
    await setup()
    const annCookie = (await signIn('ann')).token
    const response = await server.shop.app.request(pathOf.cartLine('tee'), {
      method: 'PUT',
      headers: withCookie(annCookie, {
        Authorization: `Bearer ${server.shop.signToken('bob')}`,
        'Content-Type': 'application/json',
      }),
      body: JSON.stringify({ qty: 1 }),
    })
    expect(response.status).toBe(200)
    expect((await server.as('bob').get('/api/snapshot')).body.cart).toHaveLength(1)
    expect((await server.as('ann').get('/api/snapshot')).body.cart).toEqual([])
  })
})

describe('CORS', () => {
  const preflight = (origin: string) =>
    server.shop.app.request(pathOf.cartLine('tee'), {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    })

  it('is off by default: no Access-Control-Allow-Origin for any origin, preflight included', async () => {
    await setup()
    for (const origin of ['https://shop.example', OWN_ORIGIN, 'null']) {
      const read = await server.as('ann').get('/api/snapshot', { Origin: origin })
      expect(read.headers.get('access-control-allow-origin')).toBeNull()
      expect(read.headers.get('access-control-allow-credentials')).toBeNull()
      const answer = await preflight(origin)
      expect(answer.headers.get('access-control-allow-origin')).toBeNull()
      expect(answer.status).toBeGreaterThanOrEqual(400)
    }
  })

  it('with an allowlist answers that origin only, with credentials, and varies on Origin', async () => {
    await setup({ corsOrigins: ['https://shop.example'] })
    const allowed = await server.as('ann').get('/api/snapshot', { Origin: 'https://shop.example' })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(allowed.headers.get('vary')).toMatch(/\bOrigin\b/i)
    // So that a page there can read a product's ETag, a replay's mark and a Retry-After.
    const exposed = (allowed.headers.get('access-control-expose-headers') ?? '').split(/\s*,\s*/)
    expect(exposed.map((name) => name.toLowerCase()).sort()).toEqual([
      'etag',
      'idempotent-replayed',
      'retry-after',
    ])
    const allowedPreflight = await preflight('https://shop.example')
    expect(allowedPreflight.status).toBe(204)
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe('https://shop.example')

    for (const origin of [
      'https://evil.example',
      'https://shop.example.evil.example',
      'null',
      'http://shop.example',
    ]) {
      const read = await server.as('ann').get('/api/snapshot', { Origin: origin })
      expect(read.headers.get('access-control-allow-origin')).toBeNull()
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull()
    }
  })

  it('lets an allowed origin read the 503 and Retry-After of a server shutting down', async () => {
    await setup({ corsOrigins: ['https://shop.example'] })
    await server.shop.close()
    const refused = await server.as('ann').get('/api/snapshot', { Origin: 'https://shop.example' })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).not.toBeNull()
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(refused.headers.get('access-control-expose-headers')).toMatch(/\bRetry-After\b/i)
    const refusedPreflight = await preflight('https://shop.example')
    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBe('https://shop.example')
  })

  it('never answers * for any Origin a client sends', async () => {
    await setup({ corsOrigins: ['https://shop.example', 'http://localhost:5173'] })
    const origins = fc.oneof(
      fc.webUrl().map((url) => new URL(url).origin),
      fc.constantFrom('*', 'null', 'https://shop.example', 'http://localhost:5173', ''),
      fc.string({ unit: fc.constantFrom(...'abc:/.*-'.split('')), maxLength: 30 }),
    )
    await fc.assert(
      fc.asyncProperty(origins, async (origin) => {
        for (const answer of [
          (await server.as('ann').get('/api/health', { Origin: origin })).headers,
          (await preflight(origin)).headers,
        ]) {
          const allow = answer.get('access-control-allow-origin')
          expect(allow).not.toBe('*')
          if (allow !== null) expect(allow).toBe(origin)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('lets an allowlisted origin make cookie-authenticated writes, and no other', async () => {
    await setup({ corsOrigins: ['https://shop.example'] })
    const cookie = (await signIn('ann')).token
    const write = (origin: string, qty: number) =>
      server.shop.app.request(pathOf.cartLine('tee'), {
        method: 'PUT',
        headers: withCookie(cookie, { Origin: origin, 'Content-Type': 'application/json' }),
        body: JSON.stringify({ qty }),
      })
    expect((await write('https://shop.example', 1)).status).toBe(200)
    await expectProblemResponse(
      await server.unchanged(() => write('https://evil.example', 2)),
      403,
      'auth/origin',
    )
  })

  it('refuses an allowlist entry that is not an exact origin when the server is built', () => {
    for (const origin of [
      '*',
      'null',
      'https://shop.example/',
      'https://shop.example/app',
      'shop.example',
      'HTTPS://SHOP.EXAMPLE',
      'file:///tmp',
    ]) {
      expect(
        () =>
          createShelfsync({
            db: ':memory:',
            demo: false,
            secret: TEST_SECRET,
            corsOrigins: [origin],
          }),
        origin,
      ).toThrow(/corsOrigins/)
    }
  })
})
