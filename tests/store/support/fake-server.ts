// A tiny in-memory model of the Shelfsync server for store tests: it keeps products and carts,
// answers commands like the protocol says, and records the commits it would stream, so tests can
// feed a store exactly what a real server would send to one user.
import type {
  Action,
  CartLine,
  Commit,
  Order,
  Problem,
  Product,
  SnapshotEventData,
} from '../../../src/actions/index.js'
import { formatPosition, visibleTo } from '../../../src/actions/index.js'

export const HOLD_TTL_MS = 900_000

export type Answer = { ok: true; seq: number } | { ok: false; problem: Problem }

export interface StreamEvent {
  commit: Commit
  id: string
}

export const conflict = (available: number): Problem => ({
  type: 'about:blank',
  title: 'Conflict',
  status: 409,
  detail: `only ${available} available`,
  code: 'stock/insufficient',
  available,
})

const refusal = (status: number, code: Problem['code'], detail: string): Problem => ({
  type: 'about:blank',
  title: code,
  status,
  detail,
  code,
})

/** An order answer: the order as the server returns it, or a refusal. */
export type OrderResult = { ok: true; seq: number; order: Order } | { ok: false; problem: Problem }

export const createFakeServer = (epoch = 'epochone1') => {
  let seq = 0
  let now = 1_700_000_000_000
  let orderCount = 0
  const products = new Map<string, Product>()
  const carts = new Map<string, Map<string, CartLine>>()
  const orders = new Map<string, Order & { user: string }>()
  const log: Commit[] = []

  const cartOf = (user: string): Map<string, CartLine> => {
    let cart = carts.get(user)
    if (cart === undefined) {
      cart = new Map()
      carts.set(user, cart)
    }
    return cart
  }
  const commit = (actions: Action[]): number => {
    seq += 1
    log.push({ seq, at: now, actions })
    return seq
  }
  const stockChanged = (product: Product): Action => {
    product.version += 1
    const { sku, onHand, held, version } = product
    return { type: 'stock/changed', payload: { sku, onHand, held, version } }
  }
  const release = (user: string, sku: string, reason: 'removed' | 'expired'): Action[] => {
    const line = cartOf(user).get(sku)
    const product = products.get(sku)
    if (line === undefined || product === undefined) return []
    cartOf(user).delete(sku)
    product.held -= line.qty
    return [{ type: 'cart/line-removed', payload: { user, sku, reason } }, stockChanged(product)]
  }

  return {
    epoch,
    get seq() {
      return seq
    },
    tick(ms: number) {
      now += ms
    },
    product: (sku: string): Product | undefined => products.get(sku),
    createProduct(sku: string, onHand: number, title = `Product ${sku}`): number {
      const product: Product = { sku, title, priceCents: 1000, onHand, held: 0, version: 1 }
      products.set(sku, product)
      return commit([{ type: 'product/upserted', payload: { ...product } }])
    },
    setCart(user: string, sku: string, qty: number): Answer {
      const product = products.get(sku)
      if (product === undefined) {
        const problem: Problem = {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: `no product ${sku}`,
          code: 'product/not-found',
        }
        return { ok: false, problem }
      }
      if (qty === 0) return { ok: true, seq: commit(release(user, sku, 'removed')) }
      const had = cartOf(user).get(sku)?.qty ?? 0
      const available = product.onHand - product.held
      if (qty - had > available) return { ok: false, problem: conflict(available) }
      product.held += qty - had
      const line = { sku, qty, expiresAt: now + HOLD_TTL_MS }
      cartOf(user).set(sku, line)
      return {
        ok: true,
        seq: commit([{ type: 'cart/line-set', payload: { user, ...line } }, stockChanged(product)]),
      }
    },
    /** Like the server, answers a seq even when there was no line (an empty commit). */
    removeLine(user: string, sku: string): Answer {
      return { ok: true, seq: commit(release(user, sku, 'removed')) }
    },
    expire(user: string, sku: string): number {
      return commit(release(user, sku, 'expired'))
    },
    restock(sku: string, qty: number): number {
      const product = products.get(sku)
      if (product === undefined) return commit([])
      product.onHand += qty
      return commit([stockChanged(product)])
    },
    deleteProduct(sku: string): number {
      const product = products.get(sku)
      if (product === undefined) return commit([])
      const actions: Action[] = []
      // Like the server: the pending orders that hold it are cancelled, and their other units
      // released, one stock/changed per product.
      const released = new Set<Product>()
      for (const order of orders.values()) {
        if (order.status !== 'pending' || !order.lines.some((line) => line.sku === sku)) continue
        order.status = 'cancelled'
        actions.push({ type: 'order/cancelled', payload: { user: order.user, orderId: order.id } })
        for (const line of order.lines) {
          const other = products.get(line.sku)
          if (other === undefined || line.sku === sku) continue
          other.held -= line.qty
          released.add(other)
        }
      }
      for (const other of released) actions.push(stockChanged(other))
      for (const [user, cart] of carts) {
        if (!cart.has(sku)) continue
        cart.delete(sku)
        actions.push({
          type: 'cart/line-removed',
          payload: { user, sku, reason: 'product-removed' },
        })
      }
      products.delete(sku)
      actions.push({ type: 'product/removed', payload: { sku, version: product.version + 1 } })
      return commit(actions)
    },
    /** The cart's holds become a pending order; the units stay held. */
    checkout(user: string): OrderResult {
      const lines = [...cartOf(user).values()]
      if (lines.length === 0) return { ok: false, problem: refusal(409, 'cart/empty', 'empty') }
      orderCount += 1
      const orderLines = lines.map(({ sku, qty }) => ({
        sku,
        qty,
        priceCents: products.get(sku)?.priceCents ?? 0,
      }))
      const order: Order = {
        id: `ord_${String(orderCount).padStart(12, '0')}`,
        status: 'pending',
        lines: orderLines,
        totalCents: orderLines.reduce((sum, line) => sum + line.qty * line.priceCents, 0),
        expiresAt: now + HOLD_TTL_MS,
      }
      cartOf(user).clear()
      orders.set(order.id, { ...order, user })
      const actions: Action[] = lines.map(({ sku }) => ({
        type: 'cart/line-removed',
        payload: { user, sku, reason: 'checked-out' },
      }))
      actions.push({ type: 'order/placed', payload: { user, order: structuredClone(order) } })
      return { ok: true, seq: commit(actions), order }
    },
    /** Pays, cancels or expires a pending order, like the server's state machine. */
    closeOrder(user: string, id: string, status: 'paid' | 'cancelled' | 'expired'): OrderResult {
      const order = orders.get(id)
      if (order === undefined || order.user !== user) {
        return { ok: false, problem: refusal(404, 'order/not-found', id) }
      }
      if (order.status !== 'pending') {
        return { ok: false, problem: refusal(409, 'order/not-pending', order.status) }
      }
      order.status = status
      const actions: Action[] = [{ type: `order/${status}`, payload: { user, orderId: id } }]
      for (const line of order.lines) {
        const product = products.get(line.sku)
        if (product === undefined) continue
        product.held -= line.qty
        if (status === 'paid') product.onHand -= line.qty
        actions.push(stockChanged(product))
      }
      const { user: _owner, ...publicOrder } = order
      return { ok: true, seq: commit(actions), order: structuredClone(publicOrder) }
    },
    snapshot(user: string): SnapshotEventData {
      return structuredClone({
        epoch,
        seq,
        serverTime: now,
        products: [...products.values()],
        cart: [...cartOf(user).values()],
        orders: [...orders.values()]
          .filter((order) => order.user === user)
          .map(({ user: _owner, ...order }) => order),
        reason: 'initial' as const,
      })
    },
    /** The commit events `user` would get after `afterSeq`: only their actions, no empty commits. */
    eventsFor(user: string, afterSeq = 0): StreamEvent[] {
      return log
        .filter((entry) => entry.seq > afterSeq)
        .map((entry) => ({ ...entry, actions: visibleTo(entry.actions, user) }))
        .filter((entry) => entry.actions.length > 0)
        .map((entry) => ({ commit: structuredClone(entry), id: formatPosition(epoch, entry.seq) }))
    },
  }
}

export type FakeServer = ReturnType<typeof createFakeServer>
