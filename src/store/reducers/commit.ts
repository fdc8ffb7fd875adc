// Applies one commit of the stream to the confirmed state, all its actions in one immer `produce`.
// Replays change nothing: a commit not newer than the held position is skipped whole, and a
// product action whose `version` is not newer than the held product's is skipped alone.
import type { Draft } from 'immer'
import { produce } from 'immer'
import type { Action, Commit } from '../../actions/index.js'
import { parsePosition } from '../../actions/index.js'
import type { ShopState } from '../state.js'
import { availableOf, toProductView } from '../state.js'
import {
  announceBackInStock,
  noticeHoldExpired,
  noticeOrderExpired,
  wantedBefore,
} from './notices.js'

interface CommitContext {
  tag: string
  /** Holds and order lines of this user that ran out in this commit: sku → units. */
  lapsed: Map<string, number>
}

/** Private actions are for one user; the server filters them, this is a second line of defence. */
const isMine = (draft: Draft<ShopState>, user: string): boolean =>
  draft.session === null || draft.session.user === user

const isNewer = (draft: Draft<ShopState>, sku: string, version: number): boolean => {
  const held = draft.confirmed.products[sku]
  return held === undefined || version > held.version
}

const STATUS_OF = {
  'order/paid': 'paid',
  'order/expired': 'expired',
  'order/cancelled': 'cancelled',
} as const

const applyAction = (draft: Draft<ShopState>, action: Action, context: CommitContext): void => {
  const data = draft.confirmed
  switch (action.type) {
    case 'product/upserted': {
      const { payload } = action
      if (isNewer(draft, payload.sku, payload.version)) {
        data.products[payload.sku] = toProductView(payload)
      }
      return
    }
    case 'product/removed': {
      const { sku, version } = action.payload
      if (data.products[sku] !== undefined && isNewer(draft, sku, version)) {
        delete data.products[sku]
        delete draft.wanted[sku]
      }
      return
    }
    case 'stock/changed': {
      const { sku, onHand, held, version } = action.payload
      const product = data.products[sku]
      // Unknown product: a stock change cannot make one (no title); the upsert carries it.
      if (product === undefined || version <= product.version) return
      product.onHand = onHand
      product.held = held
      product.version = version
      product.available = availableOf(onHand, held)
      return
    }
    case 'cart/line-set': {
      const { user, sku, qty, expiresAt } = action.payload
      if (!isMine(draft, user)) return
      data.cart[sku] = { sku, qty, expiresAt }
      delete draft.wanted[sku]
      return
    }
    case 'cart/line-removed': {
      const { user, sku, reason } = action.payload
      if (!isMine(draft, user)) return
      const line = data.cart[sku]
      delete data.cart[sku]
      if (reason === 'expired') {
        noticeHoldExpired(draft, sku, context.tag)
        context.lapsed.set(sku, line?.qty ?? 1)
      }
      return
    }
    case 'order/placed': {
      const { user, order } = action.payload
      if (isMine(draft, user)) data.orders[order.id] = order
      return
    }
    case 'order/paid':
    case 'order/expired':
    case 'order/cancelled': {
      const { user, orderId } = action.payload
      const order = data.orders[orderId]
      // Only a pending order changes, once (the server's state machine); a replay finds it settled.
      if (!isMine(draft, user) || order === undefined || order.status !== 'pending') return
      order.status = STATUS_OF[action.type]
      if (action.type === 'order/expired') {
        noticeOrderExpired(draft, orderId)
        for (const line of order.lines) {
          context.lapsed.set(line.sku, (context.lapsed.get(line.sku) ?? 0) + line.qty)
        }
      }
      return
    }
  }
}

/**
 * The state after `commit` (whose event id is `id`), or `state` itself when the commit is not for
 * the held position: no snapshot yet, another epoch (a snapshot will come), or not newer.
 *
 * @example
 * ```ts
 * const next = applyCommit(state, { seq: 8, at: 0, actions: [...] }, 'k3v9q2xw:8')
 * applyCommit(next, sameCommit, 'k3v9q2xw:8') === next // true: a replay changes nothing
 * ```
 */
export const applyCommit = (state: ShopState, commit: Commit, id: string): ShopState => {
  const held = state.position
  const at = parsePosition(id)
  if (held === null || at === null || at.epoch !== held.epoch || commit.seq <= held.seq) {
    return state
  }
  const before = wantedBefore(state)
  return produce(state, (draft) => {
    const context: CommitContext = { tag: String(commit.seq), lapsed: new Map() }
    for (const action of commit.actions) applyAction(draft, action, context)
    draft.position = { epoch: held.epoch, seq: commit.seq }
    announceBackInStock(draft, before, context.tag)
    // What lapsed is wanted from now on; its own release in this commit is not "back in stock".
    // A product deleted in the same commit cannot come back under that name for this wait.
    for (const [sku, qty] of context.lapsed) {
      if (draft.confirmed.products[sku] !== undefined) draft.wanted[sku] = qty
    }
  })
}
