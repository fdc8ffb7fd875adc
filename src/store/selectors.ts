// Selectors for what screens need, all reading the view (confirmed + pending). Lists are memoized
// on the record they come from and per-sku selectors are cached per sku, so their results keep
// their identity until the data changes and React re-renders only then.
import type { Order } from '../actions/index.js'
import { pendingInOrder } from './reducers/pending.js'
import type { HeldLine, Notice, ProductView, SessionInfo, ShopState } from './state.js'
import { pendingSkusOf } from './state.js'
import type { ConnectionInfo } from './sync/types.js'

export type Selector<T> = (state: ShopState) => T

/** What the product's button offers this user (the brief's four states). */
export type ButtonState = 'add' | 'sold-out' | 'remove' | 'change-quantity'

/** A change of an order the user asked for and the server has not confirmed yet. */
export type OrderChange = 'pay' | 'cancel'

export interface InventoryRow {
  sku: string
  /** Units in carts and pending orders (`held`). */
  inCart: number
  /** Units in the shop (`onHand`). */
  inStock: number
  available: number
}

/** `derive(source)`, computed once per `source` object. */
const memoOn = <S extends object, T>(derive: (source: S) => T): ((source: S) => T) => {
  const cache = new WeakMap<S, T>()
  return (source) => {
    if (cache.has(source)) return cache.get(source) as T
    const value = derive(source)
    cache.set(source, value)
    return value
  }
}

/**
 * Per-key selectors kept at once, per selector: a page of 10k products stays cached. A service
 * following the shop for weeks asks for ever new order ids; past this many keys the one used
 * longest ago is dropped. Nothing depends on a selector's identity but re-render counts, and a
 * dropped one is simply built again.
 */
export const PER_KEY_SELECTORS = 10_000

/** `make(key)`, built once per key, so a per-sku selector keeps its identity between renders. */
const perKey = <T>(make: (key: string) => Selector<T>): ((key: string) => Selector<T>) => {
  // A Map iterates in insertion order: a key used again moves to the end, so the first is the
  // one used longest ago.
  const cache = new Map<string, Selector<T>>()
  return (key) => {
    let selector = cache.get(key)
    if (selector === undefined) {
      selector = make(key)
      const oldest = cache.size >= PER_KEY_SELECTORS ? cache.keys().next() : undefined
      if (oldest?.done === false) cache.delete(oldest.value)
    } else cache.delete(key)
    cache.set(key, selector)
    return selector
  }
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const productList = /* @__PURE__ */ memoOn((products: ShopState['view']['products']) =>
  Object.values(products).sort((a, b) => byKey(a.sku, b.sku)),
)
const lineList = /* @__PURE__ */ memoOn((cart: ShopState['view']['cart']) =>
  Object.values(cart).sort((a, b) => byKey(a.sku, b.sku)),
)
const orderList = /* @__PURE__ */ memoOn((orders: ShopState['view']['orders']) =>
  Object.values(orders),
)
// Soonest to lapse first; the id breaks ties so the order is stable.
const openOrderList = /* @__PURE__ */ memoOn((orders: ShopState['view']['orders']) =>
  Object.values(orders)
    .filter((order) => order.status === 'pending')
    .sort((a, b) => a.expiresAt - b.expiresAt || byKey(a.id, b.id)),
)
const orderChanges = /* @__PURE__ */ memoOn((pending: ShopState['pending']) => {
  const changes = new Map<string, OrderChange>()
  for (const { command } of pendingInOrder(pending)) {
    if (command.kind === 'order/pay') changes.set(command.orderId, 'pay')
    if (command.kind === 'order/cancel') changes.set(command.orderId, 'cancel')
  }
  return changes
})
const noticeList = /* @__PURE__ */ memoOn((notices: ShopState['notices']) => Object.values(notices))
const pendingSkus = /* @__PURE__ */ memoOn(pendingSkusOf)
const inventoryOf = /* @__PURE__ */ memoOn(
  (product: ProductView): InventoryRow => ({
    sku: product.sku,
    inCart: product.held,
    inStock: product.onHand,
    available: product.available,
  }),
)

/**
 * Every product, sorted by sku; the same array until a product changes.
 *
 * @example
 * ```ts
 * const products = useShop(selectProducts)
 * ```
 */
export const selectProducts: Selector<ProductView[]> = (state) => productList(state.view.products)

/** @example `useShop(selectProduct('tee-m'))` */
export const selectProduct = /* @__PURE__ */ perKey<ProductView | undefined>(
  (sku) => (state) => state.view.products[sku],
)

/**
 * The button of the brief for `sku` and this user: not in my cart → `add` or `sold-out` by
 * availability; in my cart → `change-quantity`, or `remove` when I hold one unit and no more are
 * available (a quantity control could then only remove it; holding more, it can still step down).
 * A product the view does not hold (before the first snapshot, or not in the shop) is `sold-out`:
 * nothing of it can be added. Tell "not loaded yet" apart with `selectLoaded` (the connection is
 * `live` as soon as the server answers, a moment before its snapshot is in).
 *
 * @example
 * ```ts
 * selectButton('tee-m')(client.store.getState()) // 'add'
 * ```
 */
export const selectButton = /* @__PURE__ */ perKey<ButtonState>((sku) => (state) => {
  const available = state.view.products[sku]?.available ?? 0
  const line = state.view.cart[sku]
  if (line === undefined) return available > 0 ? 'add' : 'sold-out'
  return available > 0 || line.qty > 1 ? 'change-quantity' : 'remove'
})

/** The user's cart, sorted by sku. @example `useShop(selectCartLines)` */
export const selectCartLines: Selector<HeldLine[]> = (state) => lineList(state.view.cart)

/** @example `useShop(selectCartLine('tee-m'))?.qty` */
export const selectCartLine = /* @__PURE__ */ perKey<HeldLine | undefined>(
  (sku) => (state) => state.view.cart[sku],
)

/** Sum of the cart at the current prices. @example `useShop(selectCartTotalCents)` */
export const selectCartTotalCents: Selector<number> = (state) =>
  selectCartLines(state).reduce(
    (sum, line) => sum + line.qty * (state.view.products[line.sku]?.priceCents ?? 0),
    0,
  )

/** `{ inCart: held, inStock: onHand, available }` for the admin's table. @example `useShop(selectInventory('tee-m'))` */
export const selectInventory = /* @__PURE__ */ perKey<InventoryRow | undefined>(
  (sku) => (state) => {
    const product = state.view.products[sku]
    return product === undefined ? undefined : inventoryOf(product)
  },
)

/** Whether a command about `sku` waits for the server. @example `useShop(selectIsPending('tee-m'))` */
export const selectIsPending = /* @__PURE__ */ perKey<boolean>(
  (sku) => (state) => pendingSkus(state.pending).has(sku),
)

export const selectHasPending: Selector<boolean> = (state) => Object.keys(state.pending).length > 0

/**
 * Whether the store holds the shop: a snapshot has been applied. Until then every product reads as
 * missing. It stays true through reconnects, when the store shows what it last had.
 * @example `useShop(selectLoaded) ? <ProductList /> : <p>Loading the shop…</p>`
 */
export const selectLoaded: Selector<boolean> = (state) => state.position !== null

/** @example `useShop(selectConnection).status === 'live'` */
export const selectConnection: Selector<ConnectionInfo> = (state) => state.connection

/** Notices in the order they were raised. @example `useShop(selectNotices)` */
export const selectNotices: Selector<Notice[]> = (state) => noticeList(state.notices)

/** The user's orders. @example `useShop(selectOrders)` */
export const selectOrders: Selector<Order[]> = (state) => orderList(state.view.orders)

export const selectOrder = /* @__PURE__ */ perKey<Order | undefined>(
  (id) => (state) => state.view.orders[id],
)

/**
 * The user's pending orders, the one that lapses first at the top. Show each one's countdown with
 * `remainingMs(state, order.expiresAt, Date.now())`, which corrects for a wrong device clock.
 *
 * @example
 * ```ts
 * for (const order of selectOpenOrders(state)) {
 *   console.log(order.id, remainingMs(state, order.expiresAt, Date.now()))
 * }
 * ```
 */
export const selectOpenOrders: Selector<Order[]> = (state) => openOrderList(state.view.orders)

/**
 * `'pay'` or `'cancel'` while such a command for order `id` waits for the server (the order
 * keeps its confirmed status meanwhile), else `null`. The latest command wins.
 *
 * @example
 * ```ts
 * const change = useShop(selectOrderChange(order.id)) // 'pay' → show a spinner on "Pay"
 * ```
 */
export const selectOrderChange = /* @__PURE__ */ perKey<OrderChange | null>(
  (id) => (state) => orderChanges(state.pending).get(id) ?? null,
)

/**
 * Whether a checkout waits for the server. The cart stays as it is until the order arrives.
 *
 * @example
 * ```ts
 * const busy = useShop(selectCheckingOut)
 * ```
 */
export const selectCheckingOut: Selector<boolean> = (state) =>
  Object.values(state.pending).some(({ command }) => command.kind === 'order/checkout')

export const selectSession: Selector<SessionInfo | null> = (state) => state.session

/**
 * The server's clock at local time `localNow`, from the offset measured at the last snapshot, so
 * countdowns stay right when the device's clock is wrong.
 *
 * @example
 * ```ts
 * serverNow(client.store.getState(), Date.now())
 * ```
 */
export const serverNow = (state: ShopState, localNow: number): number =>
  localNow + state.serverOffsetMs

/**
 * Milliseconds left until server time `expiresAt` (never negative); `null` for a line whose hold
 * the server has not confirmed yet.
 *
 * @example
 * ```ts
 * const line = selectCartLine('tee-m')(state)
 * remainingMs(state, line?.expiresAt ?? null, Date.now()) // e.g. 899000
 * ```
 */
export const remainingMs = (
  state: ShopState,
  expiresAt: number | null,
  localNow: number,
): number | null =>
  expiresAt === null ? null : Math.max(0, expiresAt - serverNow(state, localNow))
