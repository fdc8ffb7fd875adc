// Applies commits of the stream to the confirmed state: one commit's actions, or a batch of
// commits, in one immer `produce`.
// Replays change nothing: a commit not newer than the held position is skipped whole, and a
// product action whose `version` is not newer than the held product's is skipped alone.
import type { Draft } from 'immer'
import type { Action, Commit, Position } from '../../actions/index.js'
import { parsePosition } from '../../actions/index.js'
import type { CommitEvent } from '../client-actions.js'
import type { ShopState } from '../state.js'
import { availableOf, toProductView } from '../state.js'
import { produce } from './immer.js'
import {
  announceBackInStock,
  noticeHoldExpired,
  noticeOrderCancelled,
  noticeOrderExpired,
  noticeProductRemoved,
  wantedBefore,
  withdrawStaleNotices,
} from './notices.js'
import { dropConfirmed } from './pending.js'

interface CommitContext {
  tag: string
  /** Holds and order lines of this user that ran out in this commit: sku → units. */
  lapsed: Map<string, number>
  /** Orders of this user cancelled in this commit. */
  cancelled: string[]
  /** Products taken out of the shop in this commit: sku → title. */
  removed: Map<string, string>
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
      const product = data.products[sku]
      if (product !== undefined && isNewer(draft, sku, version)) {
        context.removed.set(sku, product.title)
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
      } else if (reason === 'product-removed' && line !== undefined) {
        noticeProductRemoved(draft, sku, context.tag)
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
      if (action.type === 'order/cancelled') context.cancelled.push(orderId)
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

/** Whether `event` continues `held`: same epoch (a snapshot comes for another), newer seq. */
const continues = (held: Position | null, { commit, id }: CommitEvent): held is Position => {
  const at = parsePosition(id)
  return held !== null && at !== null && at.epoch === held.epoch && commit.seq > held.seq
}

/** Applies one commit to the draft: its actions, its notices and the new position. */
const applyTo = (draft: Draft<ShopState>, commit: Commit, epoch: string): void => {
  const before = wantedBefore(draft)
  const context: CommitContext = {
    tag: String(commit.seq),
    lapsed: new Map(),
    cancelled: [],
    removed: new Map(),
  }
  for (const action of commit.actions) applyAction(draft, action, context)
  draft.position = { epoch, seq: commit.seq }
  // An order cancelled with one of its products: the shop took the product out (a user's own
  // cancel is a commit of its own).
  for (const orderId of context.cancelled) {
    const lines = draft.confirmed.orders[orderId]?.lines ?? []
    const gone = lines.map((line) => context.removed.get(line.sku))
    const title = gone.find((t) => t !== undefined)
    if (title !== undefined) noticeOrderCancelled(draft, orderId, title, gone.includes(undefined))
  }
  announceBackInStock(draft, before, context.tag)
  // What lapsed is wanted from now on; its own release in this commit is not "back in stock".
  // A product deleted in the same commit cannot come back under that name for this wait.
  for (const [sku, qty] of context.lapsed) {
    if (draft.confirmed.products[sku] !== undefined) draft.wanted[sku] = qty
  }
}

/**
 * The state after `events`, applied in order inside one `produce`, so a batch (a catch-up, a
 * network chunk) copies each record it touches once rather than once per commit. Each commit is
 * guarded on its own, as if it came alone: one not for the held position (no snapshot yet,
 * another epoch, not newer) is skipped; `state` itself comes back when all are. A pending command
 * confirmed between two commits of the batch is dropped there, as `settle` would have done.
 *
 * @example
 * ```ts
 * const next = applyCommits(state, [{ commit: { seq: 8, at: 0, actions: [...] }, id: 'k3v9q2xw:8' }])
 * applyCommits(next, sameEvents) === next // true: a replay changes nothing
 * ```
 */
export const applyCommits = (state: ShopState, events: readonly CommitEvent[]): ShopState => {
  let held = state.position
  const fresh: Commit[] = []
  for (const event of events) {
    if (!continues(held, event)) continue
    fresh.push(event.commit)
    held = { epoch: held.epoch, seq: event.commit.seq }
  }
  const epoch = held?.epoch
  if (fresh.length === 0 || epoch === undefined) return state
  // Commits never add pending commands, so with none now there is nothing to drop between them.
  const pending = Object.keys(state.pending).length > 0
  return produce(state, (draft) => {
    fresh.forEach((commit, i) => {
      if (pending && i > 0) dropConfirmed(draft)
      applyTo(draft, commit, epoch)
    })
    // Once per batch, on where it ends: "back in stock" is withdrawn if none is left by then.
    withdrawStaleNotices(draft)
  })
}

/** One commit: `applyCommits` with a batch of one. */
export const applyCommit = (state: ShopState, commit: Commit, id: string): ShopState =>
  applyCommits(state, [{ commit, id }])
