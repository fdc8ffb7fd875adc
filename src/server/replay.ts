// The log as event-sourced history: a pure replay of commits into the shop's state (products,
// every user's cart lines and orders), used by `npm run verify` and by log compaction's base.
// An order that is paid, expired or cancelled never changes again: the base forgets it (else every
// compaction rewrites every order ever placed), unless `keepSettled` asks to keep it (verify).
import type { Action, Order, Product } from '../actions/index.js'

export interface ReplayedLine {
  user: string
  sku: string
  qty: number
  expiresAt: number
}

export interface ReplayState {
  /** The last commit applied. */
  seq: number
  products: Record<string, Product>
  /** Keyed `user/sku`. */
  lines: Record<string, ReplayedLine>
  orders: Record<string, Order & { user: string }>
}

export const emptyReplayState = (): ReplayState => ({ seq: 0, products: {}, lines: {}, orders: {} })

const lineKey = (user: string, sku: string) => `${user}/${sku}`

export interface ReplayOptions {
  /** Keep settled orders (default: forget them once settled). */
  keepSettled?: boolean
}

/** Applies one action in place. */
export const applyAction = (
  state: ReplayState,
  action: Action,
  { keepSettled = false }: ReplayOptions = {},
): void => {
  switch (action.type) {
    case 'product/upserted':
      state.products[action.payload.sku] = { ...action.payload }
      return
    case 'product/removed':
      delete state.products[action.payload.sku]
      return
    case 'stock/changed': {
      const product = state.products[action.payload.sku]
      if (product) Object.assign(product, action.payload)
      return
    }
    case 'cart/line-set':
      state.lines[lineKey(action.payload.user, action.payload.sku)] = { ...action.payload }
      return
    case 'cart/line-removed':
      delete state.lines[lineKey(action.payload.user, action.payload.sku)]
      return
    case 'order/placed':
      state.orders[action.payload.order.id] = { ...action.payload.order, user: action.payload.user }
      return
    case 'order/paid':
    case 'order/expired':
    case 'order/cancelled': {
      const order = state.orders[action.payload.orderId]
      if (!keepSettled) delete state.orders[action.payload.orderId]
      else if (order) order.status = action.type.slice('order/'.length) as Order['status']
      return
    }
  }
}

/** Applies a commit in place; a commit that does not follow `state.seq` is an error. */
export const applyCommit = (
  state: ReplayState,
  seq: number,
  actions: readonly Action[],
  options: ReplayOptions = {},
): void => {
  if (seq !== state.seq + 1) {
    throw new Error(`the log has a hole: commit ${seq} follows ${state.seq}`)
  }
  for (const action of actions) applyAction(state, action, options)
  state.seq = seq
}
