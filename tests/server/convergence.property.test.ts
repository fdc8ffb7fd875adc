// Convergence, property-based: random commands by several customers and an admin, with clock
// steps. Afterwards each user's stream, applied to their first snapshot by the reference reducer,
// equals GET /api/snapshot for that user, live and replayed, and the stock invariants hold.
import fc from 'fast-check'
import { expect, it } from 'vitest'
import type { Commit, Order, Snapshot } from '../../src/actions/index.js'
import { commitsThrough, type OpenedStream, openedStream } from '../support/events.js'
import { replay, toSnapshot } from '../support/reference-reducer.js'
import { type Api, type ApiAnswer, createProduct, createTestServer } from '../support/server.js'
import { withoutServerTime } from '../support/shop-state.js'

const CUSTOMERS = ['ann', 'bob', 'cat'] as const
const SKUS = ['a', 'b', 'c', 'd'] as const
const MINUTE = 60_000

type Command =
  | { kind: 'hold'; user: string; sku: string; qty: number }
  | { kind: 'remove'; user: string; sku: string }
  | { kind: 'checkout'; user: string }
  | { kind: 'pay' | 'cancel'; user: string; pick: number; asOwner: boolean }
  | { kind: 'restock'; sku: string; qty: number }
  | { kind: 'patch'; sku: string; onHand: number; priceCents: number; ifMatch: number | null }
  | { kind: 'create'; sku: string; onHand: number }
  | { kind: 'delete'; sku: string }
  | { kind: 'clock'; ms: number }

const user = fc.constantFrom(...CUSTOMERS)
const sku = fc.constantFrom(...SKUS)
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      user,
      sku,
      qty: fc.integer({ min: 0, max: 3 }),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), user, sku }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('checkout' as const), user }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('pay' as const, 'cancel' as const),
      user,
      pick: fc.nat(5),
      asOwner: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('restock' as const),
      sku,
      qty: fc.integer({ min: 1, max: 3 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('patch' as const),
      sku,
      onHand: fc.integer({ min: 0, max: 6 }),
      priceCents: fc.integer({ min: 0, max: 5000 }),
      ifMatch: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('create' as const), sku, onHand: fc.nat(4) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), sku }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      ms: fc.constantFrom(MINUTE, 5 * MINUTE, 10 * MINUTE, 16 * MINUTE),
    }),
    weight: 2,
  },
)

const run = async (commands: readonly Command[]) => {
  const { shop, clock, as } = createTestServer({ catchUpPageSize: 7 })
  try {
    const admin = as('admin')
    const apis: Record<string, Api> = Object.fromEntries(CUSTOMERS.map((name) => [name, as(name)]))
    for (const [name, onHand] of [
      ['a', 2],
      ['b', 1],
      ['c', 4],
      ['mark', 0],
    ] as const) {
      await createProduct(admin, name, onHand, 100)
    }
    const users = [...CUSTOMERS, 'admin']
    const live: Record<string, OpenedStream> = {}
    for (const name of users) live[name] = await openedStream(await (apis[name] ?? admin).events())

    const orders: Array<{ id: string; user: string }> = []
    for (const step of commands) {
      const api = 'user' in step ? (apis[step.user] as Api) : admin
      let answer: ApiAnswer | undefined
      switch (step.kind) {
        case 'hold':
          answer = await api.put(`/api/cart/lines/${step.sku}`, { qty: step.qty })
          break
        case 'remove':
          answer = await api.delete(`/api/cart/lines/${step.sku}`)
          break
        case 'checkout':
          {
            const placed = await api.post<{ order: Order }>('/api/checkout')
            if (placed.status === 201) orders.push({ id: placed.body.order.id, user: step.user })
            answer = placed
          }
          break
        case 'pay':
        case 'cancel':
          {
            // Mostly the owner; otherwise whoever the step names, who may be someone else (404).
            const order = orders[orders.length - 1 - (step.pick % Math.max(1, orders.length))]
            if (!order) break
            const payer = step.asOwner ? (apis[order.user] as Api) : api
            answer = await payer.post(`/api/orders/${order.id}/${step.kind}`)
          }
          break
        case 'restock':
          answer = await admin.post(`/api/products/${step.sku}/restock`, { qty: step.qty })
          break
        case 'patch':
          answer = await admin.patch(
            `/api/products/${step.sku}`,
            { onHand: step.onHand, priceCents: step.priceCents },
            step.ifMatch === null ? {} : { 'If-Match': `"${step.ifMatch}"` },
          )
          break
        case 'create':
          answer = await createProduct(admin, step.sku, step.onHand)
          break
        case 'delete':
          answer = await admin.delete(`/api/products/${step.sku}`)
          break
        case 'clock':
          clock.advance(step.ms)
          shop.releaseLapsed()
          break
      }
      if (answer) {
        expect(answer.status, JSON.stringify({ step, body: answer.body })).toBeLessThan(500)
        if (answer.status >= 400)
          expect(answer.headers.get('content-type')).toMatch(/problem\+json/)
      }
    }

    // A public commit every stream receives: reading up to it reads everything before it.
    const head: number = (await admin.post('/api/products/mark/restock', { qty: 1 })).body.seq
    const finals: Record<string, Snapshot> = {}
    for (const name of users) {
      const api = apis[name] ?? admin
      const opened = live[name] as OpenedStream
      const first = opened.snapshot as Snapshot
      const liveCommits = await commitsThrough(opened.reader, head)
      const replayed = await openedStream(
        await api.events('', { 'Last-Event-ID': opened.position ?? '' }),
        false,
      )
      const replayedCommits = await commitsThrough(replayed.reader, head)
      await opened.reader.close()
      await replayed.reader.close()

      const seqs = liveCommits.map((c: Commit) => c.seq)
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y))
      expect(replayedCommits).toEqual(liveCommits)
      const final = (await api.get<Snapshot>('/api/snapshot')).body
      expect(final.seq).toBe(head)
      expect(toSnapshot(replay(first, liveCommits)), name).toEqual(withoutServerTime(final))
      // Applying every commit twice changes nothing (the version rule).
      const doubled = liveCommits.flatMap((c) => [c, c])
      expect(toSnapshot(replay(first, doubled)), name).toEqual(withoutServerTime(final))
      finals[name] = final
    }

    // Stock invariants: 0 ≤ held ≤ onHand, and held is exactly the live holds plus pending orders.
    for (const product of finals.admin?.products ?? []) {
      expect(product.held).toBeGreaterThanOrEqual(0)
      expect(product.held).toBeLessThanOrEqual(product.onHand)
      let held = 0
      for (const name of CUSTOMERS) {
        const snapshot = finals[name] as Snapshot
        held += snapshot.cart.find((line) => line.sku === product.sku)?.qty ?? 0
        for (const order of snapshot.orders) {
          if (order.status !== 'pending') continue
          held += order.lines.find((line) => line.sku === product.sku)?.qty ?? 0
        }
      }
      expect(held, product.sku).toBe(product.held)
    }
  } finally {
    await shop.close()
  }
}

it('brings every user’s stream to exactly their snapshot, and keeps the stock invariants', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), run),
    { numRuns: 40 },
  )
}, 60_000)
