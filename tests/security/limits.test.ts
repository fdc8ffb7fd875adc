// Limits, each configurable and each answered with the protocol's status and code: body size,
// quantity per line, lines per cart, units held per user, write rate per user, open streams per
// user and in total; and catch-up read in pages.
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { HEADERS, PATHS, pathOf, type Snapshot } from '../../src/actions/index.js'
import { createShelfsync, type ShelfsyncLimits } from '../../src/server/index.js'
import { FREE_RESUME_COMMITS } from '../../src/server/routes/events.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { type HttpTestServer, startHttpServer } from '../support/http-server.js'
import { expectProblem, expectProblemResponse } from '../support/problem.js'
import { createProduct } from '../support/server.js'
import { createWatchedServer, type WatchedServer } from './support/watched-server.js'

let server: WatchedServer | undefined
let http: HttpTestServer | undefined
afterEach(async () => {
  await server?.dispose()
  await http?.stop()
  server = undefined
  http = undefined
})

const setup = async (
  limits: Partial<ShelfsyncLimits>,
  options: Parameters<typeof createWatchedServer>[0] = {},
) => {
  server = createWatchedServer({ ...options, limits })
  const admin = server.as('admin')
  for (const sku of ['tee', 'mug', 'cap', 'pen']) await createProduct(admin, sku, 1000)
  return { watched: server, admin, ann: server.as('ann'), bob: server.as('bob') }
}

describe('body size', () => {
  it('refuses a body over the limit with 413 request/too-large, before anything else, changing nothing', async () => {
    const { watched, admin } = await setup({ maxBodyBytes: 256 })
    const big = { sku: 'big', title: 'x'.repeat(300), priceCents: 1, onHand: 1 }
    const answer = await watched.unchanged(() => admin.post(PATHS.products, big))
    expectProblem(answer, 413, 'request/too-large')
    // Without a token too: a declared size is judged before the identity.
    const text = JSON.stringify(big)
    const anonymous = await watched.shop.app.request(PATHS.products, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(text.length) },
      body: text,
    })
    await expectProblemResponse(anonymous, 413, 'request/too-large')
    // Undeclared, the bytes are read only for a known caller: an anonymous one is refused unread.
    const undeclared = await watched.shop.app.request(PATHS.products, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: text,
    })
    await expectProblemResponse(undeclared, 401, 'auth/required')
    // A body within the limit goes through.
    expect((await admin.post(PATHS.products, { ...big, title: 'x'.repeat(100) })).status).toBe(201)
  })

  it('refuses a chunked body without Content-Length over real HTTP', async () => {
    http = await startHttpServer({ limits: { maxBodyBytes: 1024 } })
    const token = http.shop.signToken('admin')
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const outgoing = request(
          `${http?.url}${PATHS.products}`,
          {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${token}`,
              'Content-Type': 'application/json',
              'Transfer-Encoding': 'chunked',
            },
          },
          (incoming) => {
            let text = ''
            incoming.setEncoding('utf8')
            incoming.on('data', (chunk: string) => {
              text += chunk
            })
            incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }))
          },
        )
        outgoing.on('error', reject)
        outgoing.write('{"sku":"big","title":"')
        for (let i = 0; i < 8; i++) outgoing.write('x'.repeat(512))
        outgoing.end('","priceCents":1,"onHand":1}')
      },
    )
    expect(status).toBe(413)
    expect(JSON.parse(body)).toMatchObject({ status: 413, code: 'request/too-large' })
    const snapshot = await http.fetchAs('admin', PATHS.snapshot)
    expect(((await snapshot.json()) as Snapshot).products).toEqual([])
  })
})

describe('a customer holding stock', () => {
  it('holds at most 99 units on one line', async () => {
    const { watched, ann } = await setup({})
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 99 })).status).toBe(200)
    for (const qty of [100, 1000, 2 ** 31]) {
      expectProblem(
        await watched.unchanged(() => ann.put(pathOf.cartLine('tee'), { qty })),
        400,
        'request/invalid',
      )
    }
  })

  it('holds at most maxCartLines lines: 409 cart/too-many-lines beyond, while existing lines may change', async () => {
    const { watched, ann } = await setup({ maxCartLines: 2 })
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 1 })).status).toBe(200)
    expect((await ann.put(pathOf.cartLine('mug'), { qty: 1 })).status).toBe(200)
    const refused = await watched.unchanged(() => ann.put(pathOf.cartLine('cap'), { qty: 1 }))
    expect(expectProblem(refused, 409, 'cart/too-many-lines')).toMatchObject({ limit: 2 })
    expect((await ann.put(pathOf.cartLine('mug'), { qty: 3 })).status).toBe(200)
    expect((await ann.delete(pathOf.cartLine('tee'))).status).toBe(200)
    expect((await ann.put(pathOf.cartLine('cap'), { qty: 1 })).status).toBe(200)
  })

  it('holds at most maxHeldUnits units over all lines: 409 cart/too-many-units beyond', async () => {
    const { watched, ann, bob } = await setup({ maxHeldUnits: 10 })
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 6 })).status).toBe(200)
    expect((await ann.put(pathOf.cartLine('mug'), { qty: 4 })).status).toBe(200)
    const refused = await watched.unchanged(() => ann.put(pathOf.cartLine('cap'), { qty: 1 }))
    expect(expectProblem(refused, 409, 'cart/too-many-units')).toMatchObject({ limit: 10 })
    expectProblem(
      await watched.unchanged(() => ann.put(pathOf.cartLine('tee'), { qty: 7 })),
      409,
      'cart/too-many-units',
    )
    // Lowering a line is always allowed, and the limit is per user.
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 5 })).status).toBe(200)
    expect((await bob.put(pathOf.cartLine('tee'), { qty: 10 })).status).toBe(200)
  })

  it('cannot get round maxHeldUnits by checking out and filling the cart again', async () => {
    const { watched, ann } = await setup({ maxHeldUnits: 10 })
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 10 })).status).toBe(200)
    const order = await ann.post<{ order: { id: string } }>(PATHS.checkout)
    expect(order.status).toBe(201)
    // The pending order still holds its ten units.
    expectProblem(
      await watched.unchanged(() => ann.put(pathOf.cartLine('mug'), { qty: 1 })),
      409,
      'cart/too-many-units',
    )
    expect((await ann.post(pathOf.cancel(order.body.order.id))).status).toBe(200)
    expect((await ann.put(pathOf.cartLine('mug'), { qty: 10 })).status).toBe(200)
  })
})

describe('write rate per user', () => {
  it('answers 429 limit/rate with Retry-After past the burst, leaves others alone, and refills with time', async () => {
    const { watched, ann, bob } = await setup({ rate: { perSecond: 2, burst: 3 } })
    for (let qty = 1; qty <= 3; qty++)
      expect((await ann.put(pathOf.cartLine('tee'), { qty })).status).toBe(200)
    const limited = await watched.unchanged(() => ann.put(pathOf.cartLine('tee'), { qty: 4 }))
    expectProblem(limited, 429, 'limit/rate')
    expect(Number(limited.headers.get(HEADERS.retryAfter))).toBeGreaterThanOrEqual(1)
    // Reads are not writes; another user has a bucket of their own.
    expect((await ann.get(PATHS.snapshot)).status).toBe(200)
    expect((await bob.put(pathOf.cartLine('tee'), { qty: 1 })).status).toBe(200)

    watched.clock.advance(Number(limited.headers.get(HEADERS.retryAfter)) * 1000)
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 4 })).status).toBe(200)
  })
})

describe('open streams', () => {
  it('answers 429 limit/streams past the limit per user and in total, and frees a slot when one closes', async () => {
    const { watched } = await setup({ streams: { perUser: 2, total: 3 } })
    const open = async (user: string) => openedStream(await watched.as(user).events())
    const ann1 = await open('ann')
    await open('ann')
    await expectProblemResponse(await watched.as('ann').events(), 429, 'limit/streams')
    const bob = await open('bob')
    const total = await watched.as('carl').events()
    expect(total.headers.get(HEADERS.retryAfter)).toMatch(/^\d+$/)
    await expectProblemResponse(total, 429, 'limit/streams')
    expect(watched.shop.streamCount).toBe(3)

    await ann1.reader.close()
    expect(watched.shop.streamCount).toBe(2)
    const carl = await open('carl')
    expect(carl.snapshot?.products.length).toBe(4)
    await bob.reader.close()
    await carl.reader.close()
  })

  it('answers 429 limit/rate to a user who reads snapshots or opens streams too often; others go on', async () => {
    const { watched } = await setup({ reads: { perSecond: 0.5, burst: 2 } })
    const openAndClose = async (user: string) => {
      const stream = await openedStream(await watched.as(user).events())
      await stream.reader.close()
    }
    await openAndClose('ann')
    expect((await watched.as('ann').get(PATHS.snapshot)).status).toBe(200) // one bucket for both
    const refused = await watched.as('ann').events()
    expect(refused.headers.get(HEADERS.retryAfter)).toBe('2')
    const body = await expectProblemResponse(refused, 429, 'limit/rate')
    expect(body.detail).toBe('Too many snapshots and streams at once: one every 2 s (bursts of 2).')
    expect(watched.shop.streamCount).toBe(0)
    await openAndClose('bob') // a bucket per user

    const snapshot = await watched.as('ann').get(PATHS.snapshot)
    expect(snapshot.status).toBe(429)
    expect(snapshot.body).toMatchObject({ code: 'limit/rate' })

    watched.clock.advance(2000)
    await openAndClose('ann')
    await expectProblemResponse(await watched.as('ann').events(), 429, 'limit/rate')
  })

  it('does not count a resume among the latest commits as a full read; one further behind counts', async () => {
    const { watched, admin } = await setup({ reads: { perSecond: 0.5, burst: 2 } })
    const first = await openedStream(await watched.as('ann').events()) // a snapshot: read 1
    await first.reader.close()
    const position = first.position ?? ''
    const resume = () => watched.as('ann').events('', { [HEADERS.lastEventId]: position })
    let made = 0
    const created = async (count: number) => {
      for (let i = 0; i < count; i += 1) await createProduct(admin, `p${made++}`, 1)
    }
    // A tab shown again and again, at the head or a few commits behind it: never refused.
    for (let i = 0; i < 10; i += 1) {
      if (i === 5) await created(FREE_RESUME_COMMITS)
      const stream = await openedStream(await resume(), false)
      await stream.reader.close()
    }
    await created(1) // now one commit more than the fan-out keeps at hand
    const far = await openedStream(await resume(), false) // read 2
    await far.reader.close()
    await expectProblemResponse(await resume(), 429, 'limit/rate')
  })

  it('refuses a rate no bucket can keep when the server is made, naming the limit', () => {
    for (const reads of [
      { perSecond: 0, burst: 1 },
      { perSecond: Number.NaN, burst: 1 },
      { perSecond: 1, burst: 0.5 },
    ]) {
      expect(() => createShelfsync({ db: ':memory:', limits: { reads } })).toThrow(
        /limits.reads must be/,
      )
    }
    expect(() =>
      createShelfsync({ db: ':memory:', limits: { rate: { perSecond: -1, burst: 1 } } }),
    ).toThrow(/limits.rate must be/)
  })

  it('does not hold a slot for a HEAD request', async () => {
    const { watched } = await setup({ streams: { perUser: 1, total: 10 } })
    const head = await watched.shop.app.request(PATHS.events, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${watched.as('ann').token}` },
    })
    expect(head.status).toBe(200)
    expect(watched.shop.streamCount).toBe(0)
    const stream = await openedStream(await watched.as('ann').events())
    await stream.reader.close()
  })
})

describe('catch-up', () => {
  it('reads the log in pages and still hands a far-behind client every commit, in order', async () => {
    const { watched, admin, ann, bob } = await setup({}, { catchUpPageSize: 3 })
    for (let i = 0; i < 12; i++) {
      expect((await ann.put(pathOf.cartLine(i % 2 ? 'tee' : 'mug'), { qty: i + 1 })).status).toBe(
        200,
      )
      expect((await bob.put(pathOf.cartLine('cap'), { qty: i + 1 })).status).toBe(200)
      expect((await admin.post(pathOf.restock('pen'), { qty: 1 })).status).toBe(200)
    }
    const head = (await ann.get<{ seq: number }>(PATHS.health)).body.seq
    expect(head).toBeGreaterThan(30)

    const stream = await openedStream(
      await ann.events('', { [HEADERS.lastEventId]: `${watched.shop.epoch}:0` }),
      false,
    )
    // A commit made while the client catches up comes after the ones before it.
    const late = await admin.post<{ seq: number }>(pathOf.restock('pen'), { qty: 1 })
    const commits = await commitsThrough(stream.reader, late.body.seq)
    // Every commit here moved stock, so every one is public and Ann gets them all.
    expect(commits.map((commit) => commit.seq)).toEqual(
      Array.from({ length: head + 1 }, (_, i) => i + 1),
    )
    const users = commits.flatMap((commit) =>
      commit.actions.flatMap((action) => ('user' in action.payload ? [action.payload.user] : [])),
    )
    expect(new Set(users)).toEqual(new Set(['ann']))
    await stream.reader.close()
  })
})
