// Ownership: every route tried as no user, as a customer on admin routes and as the wrong user on
// another user's order; snapshots and streams show each user only their own; strict schemas keep
// clients from setting what the server owns.
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Action,
  type Commit,
  HEADERS,
  PATHS,
  pathOf,
  type Snapshot,
} from '../../src/actions/index.js'
import type { Shelfsync } from '../../src/server/index.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { expectProblem, expectProblemResponse } from '../support/problem.js'
import { createProduct } from '../support/server.js'
import { everyApiRoute, requestOf } from './support/routes.js'
import { createWatchedServer, type WatchedServer } from './support/watched-server.js'

let server: WatchedServer
afterEach(() => server?.dispose())

/** Ann holds one mug in her cart and has a pending order for two tees; Bob has nothing yet. */
const setup = async (options: Parameters<typeof createWatchedServer>[0] = {}) => {
  server = createWatchedServer(options)
  const admin = server.as('admin')
  const ann = server.as('ann')
  const bob = server.as('bob')
  await createProduct(admin, 'tee', 20, 1500)
  await createProduct(admin, 'mug', 20, 900)
  expect((await ann.put(pathOf.cartLine('tee'), { qty: 2 })).status).toBe(200)
  const placed = await ann.post<{ seq: number; order: { id: string } }>(PATHS.checkout)
  expect(placed.status).toBe(201)
  expect((await ann.put(pathOf.cartLine('mug'), { qty: 1 })).status).toBe(200)
  return { admin, ann, bob, orderId: placed.body.order.id, checkoutSeq: placed.body.seq }
}

const privateUsers = (actions: readonly Action[]) =>
  actions.flatMap((action) => ('user' in action.payload ? [action.payload.user] : []))

describe('as no user', () => {
  it('answers 401 auth/required on every API route but health and session, changing nothing', async () => {
    const { orderId } = await setup()
    const routes = [
      ...everyApiRoute({ sku: 'tee', orderId }),
      { name: 'unknown route', method: 'GET', path: '/api/nothing-here', access: 'user' } as const,
    ]
    for (const route of routes) {
      const response = await server.unchanged(
        () => server.shop.app.request(route.path, requestOf(route)),
        route.name,
      )
      if (route.name === 'health') expect(response.status).toBe(200)
      // Demo mode is off: the session route does not exist.
      else if (route.name === 'session')
        await expectProblemResponse(response, 404, 'request/not-found')
      else await expectProblemResponse(response, 401, 'auth/required')
    }
  })

  it('serves /metrics without a token to loopback callers only', async () => {
    await setup()
    const from = (remoteAddress: string) =>
      server.shop.app.request('/metrics', {}, {
        incoming: { socket: { remoteAddress } },
      } as unknown as Parameters<Shelfsync['app']['request']>[2])
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect((await from(address)).status, address).toBe(200)
    }
    for (const address of ['203.0.113.7', '::ffff:203.0.113.7', '10.0.0.1', '1127.0.0.1']) {
      await expectProblemResponse(await from(address), 403, 'auth/forbidden')
    }
  })
})

describe('as a customer', () => {
  it('answers 403 auth/forbidden on every admin route, changing nothing', async () => {
    const { ann, orderId } = await setup()
    const adminRoutes = everyApiRoute({ sku: 'tee', orderId }).filter(
      (route) => route.access === 'admin',
    )
    expect(adminRoutes.map((route) => route.name)).toEqual([
      'create product',
      'edit product',
      'restock',
      'delete product',
    ])
    for (const route of adminRoutes) {
      const response = await server.unchanged(
        () =>
          server.shop.app.request(
            route.path,
            requestOf(route, { Authorization: `Bearer ${ann.token}` }),
          ),
        route.name,
      )
      await expectProblemResponse(response, 403, 'auth/forbidden')
    }
  })
})

describe('as the wrong user', () => {
  it('answers 404 order/not-found on another user’s order, as for one that does not exist', async () => {
    const { ann, bob, orderId } = await setup()
    const unknown = await bob.post(pathOf.pay('ord_000000000000'))
    const { detail: _detail, ...notFound } = expectProblem(unknown, 404, 'order/not-found')
    for (const path of [pathOf.pay(orderId), pathOf.cancel(orderId)]) {
      const answer = await server.unchanged(() => bob.post(path), path)
      const { detail, ...problem } = expectProblem(answer, 404, 'order/not-found')
      expect(problem).toEqual(notFound)
      expect(detail).not.toMatch(/ann|pending|tee/)
    }
    // It was there all along, pending, for its owner.
    expect((await ann.post(pathOf.pay(orderId))).body.order).toMatchObject({
      id: orderId,
      status: 'paid',
    })
  })

  it('acts on the caller’s own cart only: another user’s lines are out of reach', async () => {
    const { ann, bob } = await setup()
    const own = await server.unchanged(
      () => bob.delete(pathOf.cartLine('mug')),
      'removing a line Bob does not have',
    )
    expect(own.status).toBe(200)
    await server.unchanged(
      () => bob.put(pathOf.cartLine('mug'), { qty: 0 }),
      'setting a line Bob does not have to 0',
    )
    expectProblem(await server.unchanged(() => bob.post(PATHS.checkout)), 409, 'cart/empty')
    expect((await ann.get<Snapshot>(PATHS.snapshot)).body.cart).toEqual([
      expect.objectContaining({ sku: 'mug', qty: 1 }),
    ])
  })

  it('never gets another user’s stored answer for the same Idempotency-Key', async () => {
    const { ann, bob } = await setup()
    const key = { [HEADERS.idempotencyKey]: 'shared-key-1' }
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 3 }, key)).status).toBe(200)
    const theirs = await bob.put(pathOf.cartLine('tee'), { qty: 3 }, key)
    expect(theirs.status).toBe(200)
    expect(theirs.headers.get(HEADERS.idempotentReplayed)).toBeNull()
    expect((await bob.get<Snapshot>(PATHS.snapshot)).body.cart).toEqual([
      expect.objectContaining({ sku: 'tee', qty: 3 }),
    ])
  })
})

describe('what each user sees', () => {
  it('a snapshot holds the caller’s own cart and orders only', async () => {
    const { ann, bob, orderId } = await setup()
    const annSnapshot = (await ann.get<Snapshot>(PATHS.snapshot)).body
    expect(annSnapshot.cart).toHaveLength(1)
    expect(annSnapshot.orders.map((order) => order.id)).toEqual([orderId])
    const bobSnapshot = await bob.get<Snapshot>(PATHS.snapshot)
    expect(bobSnapshot.body.cart).toEqual([])
    expect(bobSnapshot.body.orders).toEqual([])
    expect(JSON.stringify(bobSnapshot.body)).not.toContain(orderId)
  })

  it('a stream carries the caller’s own private actions only, in replay and live', async () => {
    const { ann, bob, orderId, checkoutSeq } = await setup()
    expect((await bob.put(pathOf.cartLine('mug'), { qty: 2 })).status).toBe(200)
    const head = (await bob.get<{ seq: number }>(PATHS.health)).body.seq

    // Replay: from before the first commit.
    const replay = await openedStream(
      await bob.events('', { [HEADERS.lastEventId]: `${server.shop.epoch}:0` }),
      false,
    )
    const replayed = await commitsThrough(replay.reader, head)
    // Every commit but Ann's checkout, which held nothing public (no stock moved).
    const everySeq = Array.from({ length: head }, (_, i) => i + 1)
    expect(replayed.map((commit) => commit.seq)).toEqual(
      everySeq.filter((seq) => seq !== checkoutSeq),
    )

    // Live: a fresh stream (initial snapshot) while Ann and Bob keep going.
    const live = await openedStream(await bob.events())
    expect(live.snapshot?.cart).toEqual([expect.objectContaining({ sku: 'mug', qty: 2 })])
    expect(live.snapshot?.orders).toEqual([])
    expect((await ann.post(pathOf.cancel(orderId))).status).toBe(200)
    expect((await ann.put(pathOf.cartLine('tee'), { qty: 4 })).status).toBe(200)
    expect((await ann.post(PATHS.checkout)).status).toBe(201)
    const last = await bob.put<{ seq: number }>(pathOf.cartLine('tee'), { qty: 1 })
    const lived = await commitsThrough(live.reader, last.body.seq)

    for (const commits of [replayed, lived] as Commit[][]) {
      const actions = commits.flatMap((commit) => commit.actions)
      expect(new Set(privateUsers(actions))).toEqual(new Set(['bob']))
      expect(actions.some((action) => action.type === 'stock/changed')).toBe(true)
      expect(JSON.stringify(commits)).not.toMatch(/ann|ord_/)
    }
    await replay.reader.close()
    await live.reader.close()
  })
})

describe('strict schemas', () => {
  it('refuse server-owned members on a cart line with 400, changing nothing', async () => {
    const { bob } = await setup()
    for (const extra of [
      { held: 0 },
      { version: 99 },
      { status: 'paid' },
      { user: 'ann' },
      { priceCents: 1 },
      { expiresAt: 4_102_444_800_000 },
      { sku: 'mug' },
    ]) {
      const answer = await server.unchanged(
        () => bob.put(pathOf.cartLine('tee'), { qty: 1, ...extra }),
        JSON.stringify(extra),
      )
      expectProblem(answer, 400, 'request/invalid')
    }
  })

  it('refuse server-owned members on a product with 400, changing nothing', async () => {
    const { admin } = await setup()
    const product = { sku: 'cap', title: 'Cap', priceCents: 700, onHand: 5 }
    for (const extra of [{ held: 5 }, { version: 7 }, { status: 'paid' }, { user: 'ann' }]) {
      const create = await server.unchanged(() =>
        admin.post(PATHS.products, { ...product, ...extra }),
      )
      expectProblem(create, 400, 'request/invalid')
      const patch = await server.unchanged(() =>
        admin.patch(pathOf.product('tee'), { title: 'T', ...extra }),
      )
      expectProblem(patch, 400, 'request/invalid')
      const restock = await server.unchanged(() =>
        admin.post(pathOf.restock('tee'), { qty: 1, ...extra }),
      )
      expectProblem(restock, 400, 'request/invalid')
    }
    for (const body of [{ sku: 'renamed' }, { held: 0 }, {}]) {
      expectProblem(
        await server.unchanged(() => admin.patch(pathOf.product('tee'), body)),
        400,
        'request/invalid',
      )
    }
  })

  it('refuse a checkout body that names prices, and take prices from the catalog', async () => {
    const { bob } = await setup()
    expect((await bob.put(pathOf.cartLine('tee'), { qty: 2 })).status).toBe(200)
    const cheap = { totalCents: 0, lines: [{ sku: 'tee', qty: 2, priceCents: 0 }], status: 'paid' }
    expectProblem(await bob.post(PATHS.checkout, cheap), 400, 'request/invalid')
    expect((await bob.get(PATHS.snapshot)).body.orders).toEqual([])
    const placed = await bob.post(PATHS.checkout)
    expect(placed.status).toBe(201)
    expect(placed.body.order).toMatchObject({
      status: 'pending',
      lines: [{ sku: 'tee', qty: 2, priceCents: 1500 }],
      totalCents: 3000,
    })
  })

  it('refuse a role in the demo session body', async () => {
    server = createWatchedServer({ demo: true })
    const response = await server.unchanged(() =>
      server.shop.app.request(PATHS.session, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'ann', role: 'admin' }),
      }),
    )
    await expectProblemResponse(response, 400, 'request/invalid')
  })
})
