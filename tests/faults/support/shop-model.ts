// The model of the whole-system test: what the shop must hold after the commands the clients
// sent, as far as their answers tell. An answer the network swallowed (the SDK gave up with a
// 5xx or a network error) leaves the touched values unknown (`null`) until an answer with an
// absolute value makes them known again. The model checks each answer against what it knows
// (a restock counted twice shows at once) and, at the end, the server's state.
import { expect } from 'vitest'
import type { OrderLine, OrderStatus, Snapshot } from '../../../src/actions/index.js'
import type { CommandResult } from '../../../src/store/index.js'

export const CUSTOMERS = ['ann', 'bob', 'cy'] as const
export type Customer = (typeof CUSTOMERS)[number]
export const SKUS = ['tee', 'mug', 'cap'] as const
export type Sku = (typeof SKUS)[number]

/** `null`: the model does not know (an answer was lost). */
type Known<T> = T | null

export interface ModelOrder {
  lines: OrderLine[]
  status: Known<OrderStatus>
}

export interface ShopModel {
  products: Record<Sku, { exists: Known<boolean>; onHand: Known<number> }>
  /** Units each customer holds per sku; 0 is no line. */
  carts: Record<Customer, Record<Sku, Known<number>>>
  orders: Record<Customer, Map<string, ModelOrder>>
  /** A checkout whose answer was lost may have made an order the model does not know. */
  unknownOrders: Record<Customer, boolean>
  stats: ModelStats
}

export interface ModelStats {
  applied: number
  refused: number
  unknown: number
  replayed: number
  /** Why answers were lost, by problem code. */
  lost: Record<string, number>
}

export const emptyStats = (): ModelStats => ({
  applied: 0,
  refused: 0,
  unknown: 0,
  replayed: 0,
  lost: {},
})

export const addStats = (into: ModelStats, from: ModelStats): void => {
  into.applied += from.applied
  into.refused += from.refused
  into.unknown += from.unknown
  into.replayed += from.replayed
  for (const [code, n] of Object.entries(from.lost)) into.lost[code] = (into.lost[code] ?? 0) + n
}

export const initialModel = (catalog: Partial<Record<Sku, number>>): ShopModel => {
  const products = {} as ShopModel['products']
  for (const sku of SKUS) {
    const onHand = catalog[sku]
    products[sku] = { exists: onHand !== undefined, onHand: onHand ?? null }
  }
  const carts = {} as ShopModel['carts']
  const orders = {} as ShopModel['orders']
  const unknownOrders = {} as ShopModel['unknownOrders']
  for (const user of CUSTOMERS) {
    carts[user] = { tee: 0, mug: 0, cap: 0 }
    orders[user] = new Map()
    unknownOrders[user] = false
  }
  return { products, carts, orders, unknownOrders, stats: emptyStats() }
}

export type Outcome<T> =
  | { kind: 'applied'; value: T }
  | { kind: 'refused'; code: string }
  | { kind: 'unknown'; code: string }

/**
 * Sorts an SDK answer: carried out, refused (a 4xx: nothing changed), or unknown (the SDK gave up
 * after its retries, or the server was still busy with the same key: it may have happened).
 */
export const outcomeOf = <T>(model: ShopModel, result: CommandResult<T>): Outcome<T> => {
  if (result.ok) {
    model.stats.applied++
    if (result.replayed) model.stats.replayed++
    return { kind: 'applied', value: result.value }
  }
  const { status, code } = result.problem
  if (status >= 500 || code === 'request/in-flight') {
    model.stats.unknown++
    model.stats.lost[code] = (model.stats.lost[code] ?? 0) + 1
    return { kind: 'unknown', code }
  }
  model.stats.refused++
  return { kind: 'refused', code }
}

/** A product was deleted: its cart lines went with it, and the pending orders that held it. */
export const productGone = (model: ShopModel, sku: Sku): void => {
  for (const user of CUSTOMERS) model.carts[user][sku] = 0
  settleOrdersWith(model, sku, 'cancelled')
}

/** A delete whose answer was lost: the product and its lines may be gone. */
export const productMaybeGone = (model: ShopModel, sku: Sku): void => {
  model.products[sku] = { exists: null, onHand: null }
  for (const user of CUSTOMERS) model.carts[user][sku] = null
  settleOrdersWith(model, sku, null)
}

/** The delete cancelled every pending order with a line of `sku` (null: it may have). */
const settleOrdersWith = (model: ShopModel, sku: Sku, status: 'cancelled' | null): void => {
  for (const user of CUSTOMERS) {
    for (const order of model.orders[user].values()) {
      if (order.status !== 'pending' || !order.lines.some((line) => line.sku === sku)) continue
      order.status = status
    }
  }
}

/** The units a known cart holds, or null when any line is unknown. */
export const knownCartLines = (model: ShopModel, user: Customer): Map<Sku, number> | null => {
  const lines = new Map<Sku, number>()
  for (const sku of SKUS) {
    const qty = model.carts[user][sku]
    if (qty === null) return null
    if (qty > 0) lines.set(sku, qty)
  }
  return lines
}

/**
 * The server's state agrees with everything the model knows: products (from the admin's
 * snapshot), and each customer's cart and orders (from their own).
 */
export const expectServerMatches = (
  model: ShopModel,
  admin: Snapshot,
  customers: Record<Customer, Snapshot>,
): void => {
  for (const sku of SKUS) {
    const known = model.products[sku]
    const product = admin.products.find((p) => p.sku === sku)
    if (known.exists !== null) expect(product !== undefined, `${sku} exists`).toBe(known.exists)
    if (known.exists && known.onHand !== null)
      expect(product?.onHand, `${sku} onHand`).toBe(known.onHand)
  }
  for (const user of CUSTOMERS) {
    const snapshot = customers[user]
    for (const sku of SKUS) {
      const qty = model.carts[user][sku]
      if (qty !== null) {
        expect(snapshot.cart.find((l) => l.sku === sku)?.qty ?? 0, `${user}'s cart ${sku}`).toBe(
          qty,
        )
      }
    }
    for (const [id, order] of model.orders[user]) {
      const found = snapshot.orders.find((o) => o.id === id)
      expect(found, `${user}'s order ${id}`).toBeDefined()
      if (order.status !== null) expect(found?.status, `${user}'s order ${id}`).toBe(order.status)
    }
    if (!model.unknownOrders[user]) {
      expect(snapshot.orders.map((o) => o.id).sort(), `${user}'s orders`).toEqual(
        [...model.orders[user].keys()].sort(),
      )
    }
  }
}
