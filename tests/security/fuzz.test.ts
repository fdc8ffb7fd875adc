// Hostile input, generated: bodies, headers, paths and Last-Event-ID values against every route.
// Every answer is what the protocol says (a success of the route's shape, or a problem document
// with a 4xx code of src/actions/errors.ts), never a 5xx; a refused request leaves the SQLite file
// byte-for-byte unchanged.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  ERROR_STATUS,
  HEADERS,
  isErrorCode,
  PATHS,
  pathOf,
  SNAPSHOT_REASONS,
} from '../../src/actions/index.js'
import { CartLine, Epoch, Order, Product, Snapshot, UserName } from '../../src/actions/schemas.js'
import { signToken } from '../../src/server/index.js'
import { commitOf, snapshotOf } from '../support/events.js'
import { expectProblem } from '../support/problem.js'
import { createProduct, TEST_SECRET } from '../support/server.js'
import { readSse } from '../support/sse.js'
import { createWatchedServer, type WatchedServer } from './support/watched-server.js'

// ---- the server under attack ------------------------------------------------------------------
// The manual clock stands still, so no hold lapses here: a refused command after a lapse would
// still commit the release before it (commands/writer.ts), which is not the request's doing.

const unexpected: string[] = []
let server: WatchedServer
let orderId: string
const tokens: Record<string, string> = {}

beforeAll(async () => {
  server = createWatchedServer({
    demo: true,
    log: (message, error) => void unexpected.push(`${message} ${error}`),
  })
  const admin = server.as('admin')
  for (const sku of ['tee', 'mug', 'probe']) await createProduct(admin, sku, 500)
  const ann = server.as('ann')
  await ann.put(pathOf.cartLine('tee'), { qty: 2 })
  orderId = (await ann.post<{ order: { id: string } }>(PATHS.checkout)).body.order.id
  await ann.put(pathOf.cartLine('mug'), { qty: 1 })
  for (const user of ['admin', 'ann', 'bob']) tokens[user] = server.shop.signToken(user)
  tokens.expired = signToken(TEST_SECRET, {
    user: 'ann',
    now: server.clock.now() - 86_400_000,
    ttlMs: 1000,
  })
  tokens.forged = signToken('another-secret-of-16-chars-or-more', {
    user: 'admin',
    now: server.clock.now(),
  })
})
afterAll(async () => {
  await server?.dispose()
})

// ---- what every answer must be ----------------------------------------------------------------

const Seq = z.int().min(0)
const ProductAnswer = z.strictObject({ seq: Seq, product: Product })
const OrderAnswer = z.strictObject({ seq: Seq, order: Order })
const SeqAnswer = z.strictObject({ seq: Seq })

/** The routes, their success shape, and who should call them. */
const ROUTES = {
  session: {
    method: 'POST',
    path: () => PATHS.session,
    ok: z.strictObject({ token: z.string(), user: UserName, role: z.enum(['admin', 'customer']) }),
    actor: 'none',
  },
  health: {
    method: 'GET',
    path: () => PATHS.health,
    ok: z.strictObject({ ok: z.literal(true), epoch: Epoch, seq: Seq }),
    actor: 'none',
  },
  snapshot: { method: 'GET', path: () => PATHS.snapshot, ok: Snapshot, actor: 'ann' },
  events: { method: 'GET', path: () => PATHS.events, ok: null, actor: 'ann' },
  createProduct: { method: 'POST', path: () => PATHS.products, ok: ProductAnswer, actor: 'admin' },
  editProduct: {
    method: 'PATCH',
    path: (sku: string) => pathOf.product(sku),
    ok: ProductAnswer,
    actor: 'admin',
  },
  restock: {
    method: 'POST',
    path: (sku: string) => pathOf.restock(sku),
    ok: ProductAnswer,
    actor: 'admin',
  },
  deleteProduct: {
    method: 'DELETE',
    path: (sku: string) => pathOf.product(sku),
    ok: SeqAnswer,
    actor: 'admin',
  },
  setLine: {
    method: 'PUT',
    path: (sku: string) => pathOf.cartLine(sku),
    ok: z.strictObject({ seq: Seq, line: CartLine.nullable() }),
    actor: 'ann',
  },
  removeLine: {
    method: 'DELETE',
    path: (sku: string) => pathOf.cartLine(sku),
    ok: SeqAnswer,
    actor: 'ann',
  },
  checkout: { method: 'POST', path: () => PATHS.checkout, ok: OrderAnswer, actor: 'ann' },
  pay: { method: 'POST', path: (id: string) => pathOf.pay(id), ok: OrderAnswer, actor: 'ann' },
  cancel: {
    method: 'POST',
    path: (id: string) => pathOf.cancel(id),
    ok: OrderAnswer,
    actor: 'ann',
  },
} as const
type RouteName = keyof typeof ROUTES
const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[]

interface Answer {
  status: number
  headers: Headers
  body: unknown
}

/** Reads an answer; an event stream is read up to its first frame and closed. */
const readAnswer = async (response: Response, method: string): Promise<Answer> => {
  const { status, headers } = response
  if (method === 'HEAD') {
    expect(response.body, 'an answer to HEAD has no body').toBeNull()
    return { status, headers, body: undefined }
  }
  if (status === 200 && headers.get('content-type')?.startsWith('text/event-stream')) {
    const reader = readSse(response)
    expect((await reader.next()).raw).toMatch(/^retry: \d+$/)
    await reader.close()
    return { status, headers, body: undefined }
  }
  const text = await response.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {}
  return { status, headers, body }
}

/**
 * Sends one request and checks the answer against the protocol: never a 5xx; a refusal is a
 * problem document whose code has that status and changed nothing; a success has the route's shape.
 */
const send = async (path: string, init: RequestInit, ok?: z.ZodType | null): Promise<Answer> => {
  const method = init.method ?? 'GET'
  const before = server.image()
  const answer = await readAnswer(await server.shop.app.request(path, init), method)
  const context = `${method} ${path.slice(0, 200)} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`
  expect(answer.status, context).toBeLessThan(500)
  if (answer.status >= 400) {
    if (method !== 'HEAD') {
      const code = (answer.body as { code?: unknown } | undefined)?.code
      expect(isErrorCode(code), context).toBe(true)
      expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], context).toBe(answer.status)
      expectProblem(answer, answer.status, code as keyof typeof ERROR_STATUS)
    }
    expect(
      server.image().equals(before),
      `a refused request changed the database: ${context}`,
    ).toBe(true)
  } else {
    expect([200, 201, 204], context).toContain(answer.status)
    if (ok && method !== 'HEAD') {
      const parsed = ok.safeParse(answer.body)
      expect(parsed.success, `${context}\n${parsed.error?.message}`).toBe(true)
    }
  }
  return answer
}

// ---- generators ---------------------------------------------------------------------------------

const NAME = /^[A-Za-z0-9_.-]{1,64}$/
const skuTarget = fc.oneof(fc.constantFrom('tee', 'mug', 'nope'), fc.stringMatching(NAME))
const idTarget = () => fc.oneof(fc.constant(orderId), fc.constantFrom('ord_000000000000', 'nope'))
const jsonOf = (entries: ReadonlyArray<readonly [string, string]>) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`

/** Values that do not belong where a schema wants a name, a title or a count. */
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  fc
    .constantFrom(
      -1,
      -0,
      0.5,
      1.5,
      99.99,
      100,
      2 ** 31,
      2 ** 53,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      1e21,
      -1e21,
      1e308,
    )
    .map(String),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '1e400',
    '-1e400',
    '1.0',
    '1e2',
    '1E1',
    '0.0',
    '9007199254740993',
    '123456789012345678901234567890',
    '1e-400',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map((value) => JSON.stringify(value)),
  fc.constantFrom(
    'null',
    'true',
    'false',
    '[]',
    '{}',
    '""',
    '" "',
    '"1"',
    '"\\u0661"',
    '"\\u0000"',
    '"\\ud800"',
    '"tee"',
    '"<script>alert(1)</script>"',
    '"\'; DROP TABLE products; --"',
    '{"$gt":0}',
    '[1]',
    `"${'x'.repeat(300)}"`,
  ),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
)
const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'held',
    'version',
    'status',
    'user',
    'priceCents',
    'role',
    'expiresAt',
    'sku',
    'qty',
    '',
  ),
  fc.string({ maxLength: 12 }),
)

/** Schema-driven bodies of each route: valid members, then one thing made wrong (or not). */
const validMembers: Partial<Record<RouteName, fc.Arbitrary<Record<string, unknown>>>> = {
  session: fc.record({
    user: fc.oneof(fc.constantFrom('ann', 'bob', 'admin'), fc.stringMatching(NAME)),
  }),
  createProduct: fc.record({
    sku: skuTarget,
    title: fc.string({ minLength: 1, maxLength: 40 }),
    priceCents: fc.integer({ min: 0, max: 100_000_000 }),
    onHand: fc.integer({ min: 0, max: 1000 }),
  }),
  editProduct: fc.record(
    {
      title: fc.string({ minLength: 1, maxLength: 40 }),
      priceCents: fc.integer({ min: 0, max: 100_000_000 }),
      onHand: fc.integer({ min: 0, max: 1000 }),
    },
    { requiredKeys: [] },
  ),
  restock: fc.record({ qty: fc.integer({ min: 1, max: 1000 }) }),
  setLine: fc.record({ qty: fc.integer({ min: 0, max: 99 }) }),
}
const BODY_ROUTES = Object.keys(validMembers) as RouteName[]

const nearValid = (members: Record<string, unknown>): fc.Arbitrary<string> => {
  const entries = Object.entries(members).map(
    ([key, value]) => [key, JSON.stringify(value)] as const,
  )
  const keys = entries.map(([key]) => key)
  const at = fc.nat({ max: Math.max(0, keys.length - 1) })
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(jsonOf(entries)) },
    fc
      .tuple(at, hostileValue)
      .map(([i, value]) =>
        jsonOf(entries.map((entry, j) => (j === i ? ([entry[0], value] as const) : entry))),
      ),
    fc.tuple(extraKey, hostileValue).map(([key, value]) => jsonOf([...entries, [key, value]])),
    at.map((i) => jsonOf(entries.filter((_, j) => j !== i))),
    fc.tuple(at, hostileValue).map(([i, value]) => jsonOf([...entries, [keys[i] ?? 'qty', value]])),
    fc.constant(`[${jsonOf(entries)}]`),
    fc.constant(JSON.stringify(jsonOf(entries))),
  )
}

const bodyFor = (route: RouteName): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: (validMembers[route] ?? fc.constant({})).chain(nearValid) },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"qty":1',
        'nul',
        '{"qty":1}{"qty":2}',
        '\u0000',
        `{"a":${'['.repeat(5000)}`,
      ),
    },
  )

const headerText = fc.string({
  unit: fc
    .oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.constant(0x09),
    )
    .map((code) => String.fromCharCode(code)),
  maxLength: 60,
})

const authorization = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('admin', 'ann', 'bob').map((user) => `Bearer ${tokens[user]}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('expired', 'forged').map((what) => `Bearer ${tokens[what]}`),
  },
  { weight: 1, arbitrary: headerText },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([at, c]) => {
      const token = tokens.ann as string
      const i = at % token.length
      return `Bearer ${token.slice(0, i)}${c}${token.slice(i + 1)}`
    }),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

const pathFor = (route: RouteName, target: { sku: string; id: string }): string => {
  const { path } = ROUTES[route]
  return route === 'pay' || route === 'cancel' ? path(target.id) : path(target.sku)
}

// ---- the properties -----------------------------------------------------------------------------

describe('hostile input', () => {
  afterAll(() => {
    expect(unexpected).toEqual([])
  })

  it('answers generated bodies on every route with a success or a 4xx problem, changing nothing when refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES).chain((route) =>
          fc.record({
            route: fc.constant(route),
            body: bodyFor(route),
            sku: skuTarget,
            actor: fc.oneof(
              { weight: 8, arbitrary: fc.constant(ROUTES[route].actor) },
              { weight: 1, arbitrary: fc.constantFrom('ann', 'admin') },
            ),
          }),
        ),
        async ({ route, body, sku, actor }) => {
          const headers: Record<string, string> = { 'Content-Type': 'application/json' }
          if (actor !== 'none') headers.Authorization = `Bearer ${tokens[actor]}`
          const { method, ok } = ROUTES[route]
          await send(pathFor(route, { sku, id: orderId }), { method, headers, body }, ok)
        },
      ),
      { numRuns: 1200 },
    )
  })

  it('answers generated headers on every route the same way', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            route: fc.constantFrom(...ROUTE_NAMES),
            sku: skuTarget,
            id: idTarget(),
            authorization,
            contentType: fc.oneof(
              fc.constantFrom(
                'application/json',
                'application/json; charset=utf-8',
                'APPLICATION/JSON',
                'application/json;',
                'text/plain',
                'application/jsonx',
                'application/problem+json',
                'multipart/form-data; boundary=x',
                'application/x-www-form-urlencoded',
                '',
              ),
              headerText,
            ),
            ifMatch: fc.oneof(
              fc.constantFrom(
                '"1"',
                'W/"1"',
                '*',
                '1',
                '"0"',
                '"abc"',
                '',
                '"999999999999999"',
                '"9999999999999999999999"',
                '"1", "2"',
                'W/"-1"',
              ),
              headerText,
            ),
            idempotencyKey: fc.oneof(
              fc.constantFrom(
                'key-1',
                'key-2',
                'x'.repeat(128),
                'x'.repeat(129),
                '',
                ' key',
                'k\u00e9y',
              ),
              headerText,
            ),
            lastEventId: headerText,
            origin: fc.constantFrom('https://evil.example', 'null', 'http://localhost'),
            cookie: fc.oneof(fc.constant(`shelfsync_token=${tokens.ann}`), headerText),
            body: fc.oneof(
              fc.constantFrom('{"qty":1}', '{"qty":2}', '{"title":"T"}', '{"user":"ann"}'),
              fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
            ),
          },
          { requiredKeys: ['route', 'sku', 'id', 'authorization', 'body'] },
        ),
        async (input) => {
          const { method, ok } = ROUTES[input.route]
          const headers: Record<string, string> = {}
          if (input.authorization !== undefined) headers.Authorization = input.authorization
          if (input.contentType !== undefined) headers['Content-Type'] = input.contentType
          if (input.ifMatch !== undefined) headers[HEADERS.ifMatch] = input.ifMatch
          if (input.idempotencyKey !== undefined)
            headers[HEADERS.idempotencyKey] = input.idempotencyKey
          if (input.lastEventId !== undefined) headers[HEADERS.lastEventId] = input.lastEventId
          if (input.origin !== undefined) headers.Origin = input.origin
          if (input.cookie !== undefined) headers.Cookie = input.cookie
          const init: RequestInit = {
            method,
            headers,
            ...(method === 'GET' ? {} : { body: input.body }),
          }
          await send(pathFor(input.route, input), init, ok)
        },
      ),
      { numRuns: 800 },
    )
  })

  it('answers odd paths and methods with a success or a 4xx problem, changing nothing when refused', async () => {
    const oddSegment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E',
        '%2F',
        'a%2Fb',
        'tee%2F..%2Fmug',
        'tee/../mug',
        '%00',
        '%ff',
        '%E0%A4%A',
        '%',
        '%%',
        '%20',
        '\\',
        '..%5C..',
        '~',
        'TEE',
        'tee.',
        'tee;x=1',
        '%3F',
        '%23',
        '',
        'x'.repeat(65),
        'x'.repeat(10_000),
        'ord_000000000000',
        'ord_AAAAAAAAAAAA',
        '%C0%AE%C0%AE',
        '%u002e',
        '@',
        '+',
        'tee?qty=5',
        'tee#x',
      ),
      fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
      fc.stringMatching(/^[A-Za-z0-9_.~!$&'()*+,;=:@-]{0,20}$/),
    )
    const templates = [
      (s: string) => pathOf.cartLine('x').replace('x', s),
      (s: string) => pathOf.product('x').replace('x', s),
      (s: string) => pathOf.restock('x').replace('x', s),
      (s: string) => pathOf.pay('x').replace('x', s),
      (s: string) => pathOf.cancel('x').replace('x', s),
      (s: string) => `/api/${s}`,
      (s: string) => `/api/cart/lines/${s}/${s}`,
      (s: string) => `/${s}/api/snapshot`,
      (s: string) => `/api/snapshot/${s}`,
      (s: string) => `/api/events?after=${s}`,
      (s: string) => `/metrics/${s}`,
      (s: string) => `//api/cart/lines/${s}`,
      (s: string) => `/api/cart/lines/${s}?${s}=${s}`,
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: templates.length - 1 }),
        oddSegment,
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'),
        fc.constantFrom('admin', 'ann', 'none'),
        async (template, segment, method, actor) => {
          const path = (templates[template] as (s: string) => string)(segment)
          let url: URL
          try {
            url = new URL(path, 'http://localhost')
          } catch {
            return // not a URL a client could send
          }
          const headers: Record<string, string> = { 'Content-Type': 'application/json' }
          if (actor !== 'none') headers.Authorization = `Bearer ${tokens[actor]}`
          const body = ['GET', 'HEAD'].includes(method) ? {} : { body: '{"qty":1}' }
          await send(`${url.pathname}${url.search}`, { method, headers, ...body })
        },
      ),
      { numRuns: 800 },
    )
  })

  it('starts a stream where any Last-Event-ID or after value says, as the protocol does', async () => {
    const { epoch } = server.shop
    const ann = server.as('ann')
    /** Where a stream should start for a position (no commit is compacted in this test). */
    const expectedStart = (raw: string | undefined, head: number): string => {
      if (raw === undefined || raw === '') return 'initial'
      const match = /^([a-z0-9]{8,16}):(0|[1-9][0-9]{0,15})$/.exec(raw)
      if (!match || !Number.isSafeInteger(Number(match[2]))) return 'malformed'
      if (match[1] !== epoch) return 'unknown-epoch'
      return Number(match[2]) > head ? 'ahead' : 'resume'
    }
    const position = fc.oneof(
      fc.nat({ max: 400 }).map((seq) => `${epoch}:${seq}`),
      fc.constantFrom(
        `${epoch}:01`,
        `${epoch}:-1`,
        `${epoch}:1.0`,
        `${epoch}: 1`,
        `${epoch.toUpperCase()}:1`,
        `${epoch}:`,
        ':1',
        `${epoch}:1:2`,
        `${epoch}:9007199254740993`,
        `${epoch}:9999999999999999`,
        `${epoch}:1e3`,
        `${epoch}`,
        '0',
        'abcdefgh:0',
        `x${epoch}:1`,
        `${epoch}:0x1`,
        `${epoch} :1`,
        '',
      ),
      fc
        .tuple(fc.stringMatching(/^[a-z0-9]{8,16}$/), fc.nat())
        .map(([other, seq]) => `${other}:${seq}`),
      headerText,
    )
    await fc.assert(
      fc.asyncProperty(
        fc.option(position, { nil: undefined }),
        fc.option(position, { nil: undefined }),
        async (header, after) => {
          const head = (await ann.get<{ seq: number }>(PATHS.health)).body.seq
          // fetch trims a header's surrounding whitespace. A header sent wins over ?after=, even
          // an empty one (which names no position).
          const sentHeader = header?.replace(/^[\t ]+|[\t ]+$/g, '')
          const requested = sentHeader ?? after
          const expected = expectedStart(requested, head)
          const query = after === undefined ? '' : `?after=${encodeURIComponent(after)}`
          const before = server.image()
          const response = await ann.events(
            query,
            header === undefined ? {} : { [HEADERS.lastEventId]: header },
          )
          expect(response.status).toBe(200)
          expect(server.image().equals(before)).toBe(true)
          const reader = readSse(response)
          try {
            expect((await reader.next()).raw).toMatch(/^retry: \d+$/)
            if (expected !== 'resume') {
              expect(SNAPSHOT_REASONS).toContain(expected)
              expect(snapshotOf(await reader.nextEvent()).reason, `${requested}`).toBe(expected)
              return
            }
            // A resumed stream goes on after the position: the next event is a later commit.
            const probe = await server
              .as('admin')
              .post<{ seq: number }>(pathOf.restock('probe'), { qty: 1 })
            expect(probe.status).toBe(200)
            const next = commitOf(await reader.nextEvent())
            expect(next.seq).toBeGreaterThan(Number(requested?.split(':')[1]))
            expect(next.seq).toBeLessThanOrEqual(probe.body.seq)
          } finally {
            await reader.close()
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
