// A snapshot event replaces the confirmed state (server truth at its position) and the clock
// offset; pending commands stay and are re-applied on top by `settle`.
import type { Draft } from 'immer'
import type { SnapshotEventData } from '../../actions/index.js'
import type { HeldLine, ProductView, ShopData, ShopState } from '../state.js'
import { pendingSkusOf, toProductView } from '../state.js'
import { produce } from './immer.js'
import {
  announceBackInStock,
  noticeHoldEnded,
  noticeOrderExpired,
  wantedBefore,
  withdrawStaleNotices,
} from './notices.js'

const byKey = <T, K extends keyof T>(items: readonly T[], key: K): Record<string, T> => {
  const record: Record<string, T> = {}
  for (const item of items) record[String(item[key])] = item
  return record
}

const dataOf = (snapshot: SnapshotEventData): ShopData => ({
  products: byKey<ProductView, 'sku'>(snapshot.products.map(toProductView), 'sku'),
  cart: byKey<HeldLine, 'sku'>(
    snapshot.cart.map(({ sku, qty, expiresAt }) => ({ sku, qty, expiresAt })),
    'sku',
  ),
  orders: byKey(snapshot.orders, 'id'),
})

/**
 * The state after a snapshot event received at local time `receivedAt`. Always accepted: the
 * server sends one exactly when the client's position cannot be continued.
 *
 * @example
 * ```ts
 * const next = applySnapshot(state, data, `${data.epoch}:${data.seq}`, Date.now())
 * next.position // { epoch: data.epoch, seq: data.seq }
 * ```
 */
export const applySnapshot = (
  state: ShopState,
  snapshot: SnapshotEventData,
  _id: string,
  receivedAt: number,
): ShopState => {
  const before = wantedBefore(state)
  const epochChanged = state.position !== null && state.position.epoch !== snapshot.epoch
  return produce(state, (draft) => {
    draft.confirmed = dataOf(snapshot)
    draft.position = { epoch: snapshot.epoch, seq: snapshot.seq }
    draft.serverOffsetMs = snapshot.serverTime - receivedAt
    if (epochChanged) {
      // The database was replaced: a seq acknowledged by the old one means nothing in the new
      // one, whose snapshot already tells whether the change exists. Unanswered commands stay.
      // The ones still waiting will most likely be answered by the new database.
      for (const [id, pending] of Object.entries(draft.pending)) {
        if (pending.ack !== null && pending.ack.epoch !== snapshot.epoch) delete draft.pending[id]
        else pending.sentAt = null
      }
    } else {
      // A snapshot behind the held position (`ahead`: this database's log ends before it) means
      // answers come from its seq on; a `sentAt` further on would refuse every one of them.
      // An answer past the snapshot's seq stays: it may be in the lost commits, or (as often) in
      // the commits that follow the snapshot on the stream, and by seq alone the two look alike.
      for (const pending of Object.values(draft.pending)) {
        if (pending.sentAt !== null && pending.sentAt.seq > snapshot.seq) {
          pending.sentAt = { epoch: snapshot.epoch, seq: snapshot.seq }
        }
      }
    }
    announceBackInStock(draft, before, `${snapshot.epoch}:${snapshot.seq}`)
    withdrawStaleNotices(draft)
    if (!epochChanged) {
      noticeOrdersLapsedMeanwhile(state, draft)
      noticeHoldsEndedMeanwhile(state, draft, snapshot)
    }
  })
}

/**
 * Holds the client had before a snapshot of the same database and missing from it ended while the
 * client was away (a tab hidden for long, a log too old to resume). Whether each ran out or was
 * removed in another tab or by the shop, the snapshot cannot tell, so the notice says only that
 * it ended. Lines that went into an order the snapshot brings are in that order, and a change
 * this client has in flight explains itself.
 */
const noticeHoldsEndedMeanwhile = (
  state: ShopState,
  draft: Draft<ShopState>,
  snapshot: SnapshotEventData,
): void => {
  const ordered = new Set<string>()
  for (const order of snapshot.orders) {
    if (state.confirmed.orders[order.id] !== undefined) continue
    for (const line of order.lines) ordered.add(line.sku)
  }
  const changing = pendingSkusOf(state.pending)
  for (const { sku } of Object.values(state.confirmed.cart)) {
    if (draft.confirmed.cart[sku] !== undefined || ordered.has(sku) || changing.has(sku)) continue
    const title = state.confirmed.products[sku]?.title ?? sku
    noticeHoldEnded(draft, sku, title, `${snapshot.epoch}:${snapshot.seq}`)
  }
}

/**
 * Orders that were pending before a snapshot of the same database and are expired in it lapsed
 * while the client was away (a log too old to resume, say): the same notice as from the stream.
 */
const noticeOrdersLapsedMeanwhile = (state: ShopState, draft: Draft<ShopState>): void => {
  for (const order of Object.values(state.confirmed.orders)) {
    if (order.status !== 'pending' || draft.confirmed.orders[order.id]?.status !== 'expired') {
      continue
    }
    noticeOrderExpired(draft, order.id)
    for (const line of order.lines) {
      if (draft.confirmed.products[line.sku] !== undefined) draft.wanted[line.sku] = line.qty
    }
  }
}
