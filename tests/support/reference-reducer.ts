// A reference reducer for the wire protocol: start from a snapshot, apply commit actions with the
// version rule. Pure and deliberately plain (no immer, no store), so tests can hold both the
// server's stream and the SDK to it. Every action is absolute, so applying one twice is harmless.
import type { Action, CartLine, Commit, Order, Product, Snapshot } from '../../src/actions/index.js'

export interface ReferenceView {
  epoch: string
  seq: number
  products: Readonly<Record<string, Product>>
  /** The version at which a sku was removed, so older news about it is ignored. */
  removed: Readonly<Record<string, number>>
  cart: Readonly<Record<string, CartLine>>
  orders: readonly Order[]
}

export const fromSnapshot = (snapshot: Snapshot): ReferenceView => ({
  epoch: snapshot.epoch,
  seq: snapshot.seq,
  products: Object.fromEntries(snapshot.products.map((p) => [p.sku, p])),
  removed: {},
  cart: Object.fromEntries(snapshot.cart.map((line) => [line.sku, line])),
  orders: snapshot.orders,
})

const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const { [key]: _dropped, ...rest } = record
  return rest
}

/** The newest version the view knows for `sku`, whether it holds the product or its removal. */
const knownVersion = (view: ReferenceView, sku: string): number =>
  view.products[sku]?.version ?? view.removed[sku] ?? 0

const setOrderStatus = (view: ReferenceView, id: string, status: Order['status']) => ({
  ...view,
  orders: view.orders.map((order) => (order.id === id ? { ...order, status } : order)),
})

export const applyAction = (view: ReferenceView, action: Action): ReferenceView => {
  switch (action.type) {
    case 'product/upserted': {
      const product = action.payload
      if (product.version <= knownVersion(view, product.sku)) return view
      return {
        ...view,
        products: { ...view.products, [product.sku]: product },
        removed: without(view.removed, product.sku),
      }
    }
    case 'product/removed': {
      const { sku, version } = action.payload
      if (version <= knownVersion(view, sku)) return view
      return {
        ...view,
        products: without(view.products, sku),
        removed: { ...view.removed, [sku]: version },
      }
    }
    case 'stock/changed': {
      const { sku, onHand, held, version } = action.payload
      const product = view.products[sku]
      if (!product || version <= product.version) return view
      return {
        ...view,
        products: { ...view.products, [sku]: { ...product, onHand, held, version } },
      }
    }
    case 'cart/line-set': {
      const { sku, qty, expiresAt } = action.payload
      return { ...view, cart: { ...view.cart, [sku]: { sku, qty, expiresAt } } }
    }
    case 'cart/line-removed':
      return { ...view, cart: without(view.cart, action.payload.sku) }
    case 'order/placed': {
      const { order } = action.payload
      if (view.orders.some((known) => known.id === order.id)) return view
      return { ...view, orders: [...view.orders, order] }
    }
    case 'order/paid':
      return setOrderStatus(view, action.payload.orderId, 'paid')
    case 'order/expired':
      return setOrderStatus(view, action.payload.orderId, 'expired')
    case 'order/cancelled':
      return setOrderStatus(view, action.payload.orderId, 'cancelled')
  }
}

/** Applies a commit's actions together and moves the view to the commit's seq. */
export const applyCommit = (view: ReferenceView, commit: Commit): ReferenceView =>
  commit.actions.reduce(applyAction, { ...view, seq: Math.max(view.seq, commit.seq) })

export const replay = (snapshot: Snapshot, commits: readonly Commit[]): ReferenceView =>
  commits.reduce(applyCommit, fromSnapshot(snapshot))

const bySku = <T extends { sku: string }>(a: T, b: T): number =>
  a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0

/** The view in the shape of `GET /api/snapshot` (without `serverTime`). */
export const toSnapshot = (view: ReferenceView): Omit<Snapshot, 'serverTime'> => ({
  epoch: view.epoch,
  seq: view.seq,
  products: Object.values(view.products).sort(bySku),
  cart: Object.values(view.cart).sort(bySku),
  orders: [...view.orders],
})
