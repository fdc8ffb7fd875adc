// Cart commands: a cart line is a hold on stock, renewed by every PUT.
import type { CartLine, CartLineRemovedReason } from '../../actions/index.js'
import { ShelfsyncError } from '../errors.js'
import { availableOf, changeStock, findProduct } from './stock.js'
import type { Tx } from './writer.js'

export interface CartLimits {
  holdTtlMs: number
  /** Lines one cart may have. */
  maxCartLines: number
  /** Units one user may hold at once, over all lines. */
  maxHeldUnits: number
}

/** Sets the user's hold on `sku` to `qty` units (0 removes it); answers the line or null. */
export const setCartLine = (
  tx: Tx,
  input: { user: string; sku: string; qty: number },
  limits: CartLimits,
): CartLine | null => {
  const { user, sku, qty } = input
  if (qty === 0) {
    removeCartLine(tx, { user, sku, reason: 'removed' })
    return null
  }
  const product = findProduct(tx, sku)
  const line = tx.rows.carts.get(user, sku)
  const delta = qty - (line?.qty ?? 0)
  const available = availableOf(product)
  if (delta > available) {
    throw new ShelfsyncError(
      'stock/insufficient',
      available === 0
        ? `"${product.title}" is sold out: every unit is held or sold.`
        : `Only ${available} more of "${product.title}" can be held.`,
      { available, sku },
    )
  }
  const totals = tx.rows.carts.totals(user)
  if (!line && totals.lines >= limits.maxCartLines) {
    throw new ShelfsyncError(
      'cart/too-many-lines',
      `A cart holds at most ${limits.maxCartLines} lines.`,
      { limit: limits.maxCartLines },
    )
  }
  // A pending order keeps its holds, so its units count too: else checking out and filling the
  // cart again, over and over, would hold the whole stock.
  if (
    delta > 0 &&
    totals.units + tx.rows.orders.pendingUnitsOf(user) + delta > limits.maxHeldUnits
  ) {
    throw new ShelfsyncError(
      'cart/too-many-units',
      `One customer may hold at most ${limits.maxHeldUnits} units at once.`,
      { limit: limits.maxHeldUnits },
    )
  }
  const expiresAt = tx.now + limits.holdTtlMs
  tx.rows.carts.put({ user, sku, qty, expiresAt })
  tx.emit({ type: 'cart/line-set', payload: { user, sku, qty, expiresAt } })
  if (delta !== 0) changeStock(tx, product, { held: product.held + delta })
  return { sku, qty, expiresAt }
}

/** Releases the user's hold on `sku`, if there is one. */
export const removeCartLine = (
  tx: Tx,
  input: { user: string; sku: string; reason: CartLineRemovedReason },
): void => {
  const { user, sku, reason } = input
  const line = tx.rows.carts.get(user, sku)
  if (!line) return
  tx.rows.carts.delete(user, sku)
  tx.emit({ type: 'cart/line-removed', payload: { user, sku, reason } })
  const product = findProduct(tx, sku)
  changeStock(tx, product, { held: product.held - line.qty })
}
