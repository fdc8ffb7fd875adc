// Small steps shared by the commands that move stock.
import type { Product } from '../../actions/index.js'
import { ShelfsyncError } from '../errors.js'
import type { Tx } from './writer.js'

export const findProduct = (tx: Tx, sku: string): Product => {
  const product = tx.rows.products.get(sku)
  if (!product) throw new ShelfsyncError('product/not-found', `There is no product "${sku}".`)
  return product
}

export const availableOf = (product: Product): number => product.onHand - product.held

/** Writes new stock figures (bumping the version) and emits the one `stock/changed` for them. */
export const changeStock = (
  tx: Tx,
  product: Product,
  change: { onHand?: number; held?: number },
): Product => {
  const next = tx.rows.products.update({
    ...product,
    onHand: change.onHand ?? product.onHand,
    held: change.held ?? product.held,
  })
  const { sku, onHand, held, version } = next
  tx.emit({ type: 'stock/changed', payload: { sku, onHand, held, version } })
  return next
}

/**
 * Held units to give back, summed per product as they are added, then released with one
 * `stock/changed` each: a commit carries at most one stock action per sku.
 *
 * @example
 * const release = createRelease()
 * for (const line of order.lines) release.add(line.sku, line.qty)
 * release.apply(tx)
 */
export const createRelease = () => {
  const units = new Map<string, number>()
  return {
    add(sku: string, qty: number): void {
      units.set(sku, (units.get(sku) ?? 0) + qty)
    },
    apply(tx: Tx): void {
      for (const [sku, qty] of units) {
        const product = findProduct(tx, sku)
        changeStock(tx, product, { held: product.held - qty })
      }
    },
  }
}
