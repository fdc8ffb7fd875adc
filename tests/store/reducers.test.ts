import { describe, expect, it } from 'vitest'
import type { Commit, Order, SnapshotEventData } from '../../src/actions/index.js'
import type { ClientAction } from '../../src/store/client-actions.js'
import { shopReducer } from '../../src/store/reducers/index.js'
import type { ShopState } from '../../src/store/state.js'
import { initialShopState } from '../../src/store/state.js'

const EPOCH = 'epochone1'
const tee = { sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 5, held: 0, version: 3 }

const snapshot = (over: Partial<SnapshotEventData> = {}): ClientAction => {
  const data: SnapshotEventData = {
    epoch: EPOCH,
    seq: 10,
    serverTime: 5_000,
    products: [tee],
    cart: [],
    orders: [],
    reason: 'initial',
    ...over,
  }
  return {
    type: 'sync/snapshot-received',
    data,
    id: `${data.epoch}:${data.seq}`,
    receivedAt: 1_000,
  }
}
const commit = (seq: number, actions: Commit['actions'], epoch = EPOCH): ClientAction => ({
  type: 'sync/commit-received',
  commit: { seq, at: 0, actions },
  id: `${epoch}:${seq}`,
})
const stock = (onHand: number, held: number, version: number): Commit['actions'][number] => ({
  type: 'stock/changed',
  payload: { sku: 'tee', onHand, held, version },
})
const run = (...actions: ClientAction[]): ShopState =>
  actions.reduce(shopReducer, initialShopState())

describe('shopReducer: snapshots', () => {
  it('fills the confirmed state from a snapshot, with available and the clock offset', () => {
    const state = run(snapshot({ products: [{ ...tee, held: 2 }] }))
    expect(state.confirmed.products.tee).toEqual({ ...tee, held: 2, available: 3 })
    expect(state.position).toEqual({ epoch: EPOCH, seq: 10 })
    expect(state.serverOffsetMs).toBe(4_000)
    expect(state.view).toBe(state.confirmed)
  })

  it('replaces everything on a snapshot reset, including products that are gone', () => {
    const other = { ...tee, sku: 'mug', title: 'Mug' }
    const state = run(
      snapshot({ products: [tee, other] }),
      snapshot({ epoch: 'epochtwo2', seq: 3, products: [other], reason: 'unknown-epoch' }),
    )
    expect(Object.keys(state.confirmed.products)).toEqual(['mug'])
    expect(state.position).toEqual({ epoch: 'epochtwo2', seq: 3 })
  })

  it('accepts a snapshot behind the held position (the server is the truth)', () => {
    const state = run(
      snapshot(),
      commit(11, [stock(5, 1, 4)]),
      snapshot({ seq: 9, reason: 'ahead' }),
    )
    expect(state.position?.seq).toBe(9)
    expect(state.confirmed.products.tee?.held).toBe(0)
  })
})

describe('shopReducer: commits', () => {
  it('applies the actions of a commit and moves the position', () => {
    const state = run(snapshot(), commit(12, [stock(8, 1, 4)]))
    expect(state.confirmed.products.tee).toMatchObject({ onHand: 8, held: 1, available: 7 })
    expect(state.position).toEqual({ epoch: EPOCH, seq: 12 })
  })

  it('changes nothing when the same commit arrives twice', () => {
    const once = run(snapshot(), commit(12, [stock(8, 1, 4)]))
    const twice = shopReducer(once, commit(12, [stock(8, 1, 4)]))
    expect(twice).toBe(once)
  })

  it('ignores a whole commit that is not newer than the position', () => {
    const state = run(snapshot(), commit(9, [stock(1, 1, 9)]), commit(10, [stock(1, 1, 9)]))
    expect(state.confirmed.products.tee).toMatchObject({ onHand: 5, version: 3 })
    expect(state.position?.seq).toBe(10)
  })

  it('ignores a product action whose version is not newer than the held one', () => {
    const state = run(snapshot(), commit(11, [stock(9, 0, 5)]), commit(12, [stock(2, 0, 4)]))
    expect(state.confirmed.products.tee).toMatchObject({ onHand: 9, version: 5 })
    expect(state.position?.seq).toBe(12)
  })

  it('ignores an upsert older than the held product but takes a newer one', () => {
    const older = run(
      snapshot(),
      commit(11, [{ type: 'product/upserted', payload: { ...tee, title: 'Old', version: 2 } }]),
    )
    expect(older.confirmed.products.tee).toMatchObject({ title: tee.title, version: 3 })
    expect(older.position?.seq).toBe(11)
    const newer = run(
      snapshot(),
      commit(11, [{ type: 'product/upserted', payload: { ...tee, title: 'Old', version: 2 } }]),
      commit(12, [{ type: 'product/upserted', payload: { ...tee, title: 'New', version: 4 } }]),
    )
    expect(newer.confirmed.products.tee).toMatchObject({ title: 'New', version: 4 })
  })

  it('ignores a product/removed whose version is not newer than the held product', () => {
    const state = run(
      snapshot(),
      commit(11, [{ type: 'product/removed', payload: { sku: 'tee', version: 3 } }]),
    )
    expect(state.confirmed.products.tee).toMatchObject({ version: 3 })
    expect(state.position?.seq).toBe(11)
  })

  it('ignores commits of another epoch and commits before any snapshot', () => {
    expect(run(commit(1, [stock(1, 0, 9)])).position).toBeNull()
    const state = run(snapshot(), commit(11, [stock(1, 0, 9)], 'epochtwo2'))
    expect(state.confirmed.products.tee?.onHand).toBe(5)
  })

  it('removes a product on a newer product/removed', () => {
    const state = run(
      snapshot(),
      commit(11, [{ type: 'product/removed', payload: { sku: 'tee', version: 4 } }]),
    )
    expect(state.confirmed.products.tee).toBeUndefined()
  })

  it('sets and removes the user’s cart lines', () => {
    const set = run(
      snapshot(),
      commit(11, [
        { type: 'cart/line-set', payload: { user: 'ann', sku: 'tee', qty: 2, expiresAt: 99 } },
        stock(5, 2, 4),
      ]),
    )
    expect(set.confirmed.cart.tee).toEqual({ sku: 'tee', qty: 2, expiresAt: 99 })
    const removed = shopReducer(
      set,
      commit(12, [
        { type: 'cart/line-removed', payload: { user: 'ann', sku: 'tee', reason: 'removed' } },
      ]),
    )
    expect(removed.confirmed.cart).toEqual({})
  })

  it('ignores another user’s cart actions once the session is known', () => {
    const state = run(
      { type: 'session/changed', user: 'ann', role: 'customer' },
      snapshot(),
      commit(11, [
        { type: 'cart/line-set', payload: { user: 'bob', sku: 'tee', qty: 1, expiresAt: 99 } },
      ]),
    )
    expect(state.confirmed.cart).toEqual({})
  })

  it('moves an order from pending to paid once, and a later expiry does not undo it', () => {
    const order: Order = {
      id: 'o1',
      status: 'pending',
      lines: [{ sku: 'tee', qty: 1, priceCents: 1500 }],
      totalCents: 1500,
      expiresAt: 99,
    }
    const state = run(
      snapshot(),
      commit(11, [{ type: 'order/placed', payload: { user: 'ann', order } }]),
      commit(12, [{ type: 'order/paid', payload: { user: 'ann', orderId: 'o1' } }]),
      commit(13, [{ type: 'order/expired', payload: { user: 'ann', orderId: 'o1' } }]),
    )
    expect(state.confirmed.orders.o1?.status).toBe('paid')
  })
})

describe('shopReducer: batches of commits', () => {
  const batch = (...commits: ClientAction[]): ClientAction => ({
    type: 'sync/commits-received',
    commits: commits.flatMap((a) => (a.type === 'sync/commit-received' ? [a] : [])),
  })
  const line = (qty: number): Commit['actions'][number] => ({
    type: 'cart/line-set',
    payload: { user: 'ann', sku: 'tee', qty, expiresAt: 99 },
  })

  it('applies each commit once, in order, skipping replays and other epochs inside the batch', () => {
    const commits = [
      commit(12, [stock(8, 1, 4)]),
      commit(12, [stock(8, 1, 4)]),
      commit(11, [stock(9, 0, 5)]),
      commit(13, [stock(7, 2, 5)], 'epochtwo2'),
      commit(14, [stock(6, 3, 6)]),
    ]
    const batched = run(snapshot(), batch(...commits))
    expect(batched).toEqual(run(snapshot(), ...commits))
    expect(batched.confirmed.products.tee).toMatchObject({ onHand: 6, held: 3, version: 6 })
    expect(batched.position).toEqual({ epoch: EPOCH, seq: 14 })
  })

  it('returns the same state when every commit of the batch is a replay', () => {
    const state = run(snapshot(), commit(12, [stock(8, 1, 4)]))
    expect(shopReducer(state, batch(commit(11, [stock(9, 1, 9)]), commit(12, [])))).toBe(state)
  })

  it('drops a command confirmed part-way through, as one commit at a time would', () => {
    const sent: ClientAction[] = [
      { type: 'session/changed', user: 'ann', role: 'customer' },
      snapshot(),
      { type: 'command/sent', command: { id: 'c1', kind: 'cart/set', sku: 'tee', qty: 2 } },
      // Answered with a seq the stream has not reached by the end of the batch.
      { type: 'command/acknowledged', id: 'c1', seq: 20 },
    ]
    const commits = [commit(11, [line(2)]), commit(12, [line(1)])]
    const batched = run(...sent, batch(...commits))
    expect(batched.pending).toEqual({})
    expect(batched.view.cart.tee?.qty).toBe(1)
    expect(batched).toEqual(run(...sent, ...commits))
  })
})

describe('shopReducer: session and notices', () => {
  it('forgets the previous user’s data and position when another user signs in', () => {
    const state = run(
      { type: 'session/changed', user: 'ann', role: 'customer' },
      snapshot({ cart: [{ sku: 'tee', qty: 1, expiresAt: 9 }] }),
      { type: 'session/changed', user: 'bob', role: 'customer' },
    )
    expect(state.position).toBeNull()
    expect(state.confirmed.cart).toEqual({})
    expect(state.session).toEqual({ user: 'bob', role: 'customer' })
  })

  it('keeps the data when the same user signs in again', () => {
    const before = run({ type: 'session/changed', user: 'ann', role: 'customer' }, snapshot())
    const after = shopReducer(before, { type: 'session/changed', user: 'ann', role: 'customer' })
    expect(after).toBe(before)
  })

  it('tells the user when their hold ran out, by product title', () => {
    const state = run(
      snapshot({ cart: [{ sku: 'tee', qty: 1, expiresAt: 9 }], products: [{ ...tee, held: 1 }] }),
      commit(11, [
        { type: 'cart/line-removed', payload: { user: 'ann', sku: 'tee', reason: 'expired' } },
        stock(5, 0, 4),
      ]),
    )
    expect(Object.values(state.notices)).toEqual([
      {
        id: 'expired:tee:11',
        code: 'hold/expired',
        message: 'Your hold on Tee ran out.',
        sku: 'tee',
      },
    ])
  })

  it('drops a notice when it is dismissed', () => {
    const state = run(
      snapshot({ cart: [{ sku: 'tee', qty: 1, expiresAt: 9 }] }),
      commit(11, [
        { type: 'cart/line-removed', payload: { user: 'ann', sku: 'tee', reason: 'expired' } },
      ]),
      { type: 'notice/dismissed', id: 'expired:tee:11' },
    )
    expect(state.notices).toEqual({})
  })
})
