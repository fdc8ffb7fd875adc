// A tiny in-memory model of the Shelfsync server for store tests: it keeps products and carts,
// answers commands like the protocol says, and records the commits it would stream, so tests can
// feed a store exactly what a real server would send to one user.
import type {
  Action,
  CartLine,
  Commit,
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

export const createFakeServer = (epoch = 'epochone1') => {
  let seq = 0
  let now = 1_700_000_000_000
  const products = new Map<string, Product>()
  const carts = new Map<string, Map<string, CartLine>>()
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
    snapshot(user: string): SnapshotEventData {
      return structuredClone({
        epoch,
        seq,
        serverTime: now,
        products: [...products.values()],
        cart: [...cartOf(user).values()],
        orders: [],
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
