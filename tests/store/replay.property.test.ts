import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatPosition } from '../../src/actions/index.js'
import type { ClientAction } from '../../src/store/client-actions.js'
import { shopReducer } from '../../src/store/reducers/index.js'
import type { ShopState } from '../../src/store/state.js'
import { initialShopState } from '../../src/store/state.js'
import type { FakeServer, StreamEvent } from './support/fake-server.js'
import { createFakeServer } from './support/fake-server.js'

const users = fc.constantFrom('ann', 'bob')
const skus = fc.constantFrom('a', 'b', 'c')
const operation = fc.oneof(
  fc.record({
    kind: fc.constant('hold' as const),
    user: users,
    sku: skus,
    qty: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), user: users, sku: skus }),
  fc.record({ kind: fc.constant('expire' as const), user: users, sku: skus }),
  fc.record({
    kind: fc.constant('restock' as const),
    sku: skus,
    qty: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), sku: skus }),
  fc.record({
    kind: fc.constant('create' as const),
    sku: skus,
    qty: fc.integer({ min: 0, max: 3 }),
  }),
)
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never

const perform = (server: FakeServer, op: Operation): void => {
  if (op.kind === 'hold') server.setCart(op.user, op.sku, op.qty)
  else if (op.kind === 'remove') server.removeLine(op.user, op.sku)
  else if (op.kind === 'expire') server.expire(op.user, op.sku)
  else if (op.kind === 'restock') server.restock(op.sku, op.qty)
  else if (op.kind === 'delete') server.deleteProduct(op.sku)
  else if (server.product(op.sku) === undefined) server.createProduct(op.sku, op.qty)
}

const commitAction = (event: StreamEvent): ClientAction => ({
  type: 'sync/commit-received',
  ...event,
})

/** Ann's store after the snapshot, an optional pending hold, and `events` in the given order. */
const follow = (
  server: FakeServer,
  snapshotAt: ReturnType<FakeServer['snapshot']>,
  pendingQty: number | null,
  events: StreamEvent[],
): ShopState => {
  const start: ClientAction[] = [
    { type: 'session/changed', user: 'ann', role: 'customer' },
    {
      type: 'sync/snapshot-received',
      data: snapshotAt,
      id: formatPosition(server.epoch, snapshotAt.seq),
      receivedAt: 0,
    },
  ]
  if (pendingQty !== null) {
    start.push({
      type: 'command/sent',
      command: { id: 'p1', kind: 'cart/set', sku: 'a', qty: pendingQty },
    })
  }
  return [...start, ...events.map(commitAction)].reduce(shopReducer, initialShopState())
}

const scenario = fc.record({
  before: fc.array(operation, { maxLength: 8 }),
  after: fc.array(operation, { minLength: 1, maxLength: 25 }),
  pendingQty: fc.option(fc.integer({ min: 0, max: 2 })),
  repeats: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
})

const play = ({ before, after }: { before: Operation[]; after: Operation[] }) => {
  const server = createFakeServer()
  server.createProduct('a', 2)
  server.createProduct('b', 1)
  for (const op of before) perform(server, op)
  const snapshot = server.snapshot('ann')
  for (const op of after) perform(server, op)
  return { server, snapshot, events: server.eventsFor('ann', snapshot.seq) }
}

describe('replaying commits (property)', () => {
  it('gives the same state when every commit arrives twice, or earlier ones arrive again later', () => {
    fc.assert(
      fc.property(scenario, ({ before, after, pendingQty, repeats }) => {
        const { server, snapshot, events } = play({ before, after })
        const once = follow(server, snapshot, pendingQty, events)

        const twice = follow(server, snapshot, pendingQty, [...events, ...events])
        const withRepeats: StreamEvent[] = []
        events.forEach((event, i) => {
          withRepeats.push(event)
          for (const [at, which] of repeats) {
            const earlier = events[which % (i + 1)]
            if (at % events.length === i && earlier !== undefined) withRepeats.push(earlier)
          }
        })
        const repeated = follow(server, snapshot, pendingQty, withRepeats)

        expect(twice).toEqual(once)
        expect(repeated).toEqual(once)
      }),
      { numRuns: 200 },
    )
  })

  it('holds exactly what a snapshot at the end would say', () => {
    fc.assert(
      fc.property(scenario, ({ before, after }) => {
        const { server, snapshot, events } = play({ before, after })
        const followed = follow(server, snapshot, null, events)
        const fresh = follow(server, server.snapshot('ann'), null, [])
        expect(followed.confirmed).toEqual(fresh.confirmed)
      }),
      { numRuns: 200 },
    )
  })
})
