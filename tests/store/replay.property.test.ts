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
): ShopState => followActions(server, snapshotAt, pendingQty, null, events.map(commitAction))

/** The same, with the stream's client actions given, and the hold acknowledged at `ackSeq`. */
const followActions = (
  server: FakeServer,
  snapshotAt: ReturnType<FakeServer['snapshot']>,
  pendingQty: number | null,
  ackSeq: number | null,
  actions: ClientAction[],
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
  if (pendingQty !== null && ackSeq !== null) {
    start.push({ type: 'command/acknowledged', id: 'p1', seq: ackSeq })
  }
  return [...start, ...actions].reduce(shopReducer, initialShopState())
}

/** `events` cut before each index in `cuts`: one commit alone, several as one batch. */
const inBatches = (events: StreamEvent[], cuts: number[]): ClientAction[] => {
  const ends = [...new Set(cuts.map((cut) => cut % (events.length + 1)))].sort((a, b) => a - b)
  const actions: ClientAction[] = []
  let from = 0
  for (const end of [...ends, events.length]) {
    const group = events.slice(from, end)
    from = Math.max(from, end)
    const [only] = group
    if (group.length > 1) actions.push({ type: 'sync/commits-received', commits: group })
    else if (only !== undefined) actions.push(commitAction(only))
  }
  return actions
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

  it('gives the same state, notices and pending commands when commits arrive in batches', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.option(fc.nat()),
        ({ before, after, pendingQty, repeats }, cuts, ackAt) => {
          const { server, snapshot, events } = play({ before, after })
          const withRepeats = [
            ...events,
            ...repeats.map(([, which]) => events[which % events.length]),
          ]
          const stream = withRepeats.filter((event) => event !== undefined)
          // Any seq from the snapshot's to past the last commit: acknowledged, not yet reached.
          const ackSeq =
            ackAt === null ? null : snapshot.seq + (ackAt % (server.seq - snapshot.seq + 3))
          const one = followActions(server, snapshot, pendingQty, ackSeq, stream.map(commitAction))
          const batched = followActions(
            server,
            snapshot,
            pendingQty,
            ackSeq,
            inBatches(stream, cuts),
          )
          expect(batched).toEqual(one)
        },
      ),
      { numRuns: 300 },
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
