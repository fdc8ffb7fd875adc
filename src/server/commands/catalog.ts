// Catalog commands (admin): create, edit, restock and delete products.
import {
  type CreateProductBody,
  LIMITS,
  type PatchProductBody,
  type Product,
} from '../../actions/index.js'
import { ShelfsyncError } from '../errors.js'
import { changeStock, createRelease, findProduct } from './stock.js'
import type { Tx } from './writer.js'

const emitUpserted = (tx: Tx, product: Product): Product => {
  tx.emit({ type: 'product/upserted', payload: product })
  return product
}

export const createProduct = (tx: Tx, body: CreateProductBody): Product => {
  if (tx.rows.products.get(body.sku)) {
    throw new ShelfsyncError('product/exists', `A product "${body.sku}" exists already.`, {
      sku: body.sku,
    })
  }
  return emitUpserted(tx, tx.rows.products.insert(body))
}

/** Edits a product; `ifMatch` names the versions the editor accepts (its tags), when it sent any. */
export const patchProduct = (
  tx: Tx,
  input: { sku: string; body: PatchProductBody; ifMatch: readonly string[] | null },
): Product => {
  const product = findProduct(tx, input.sku)
  if (input.ifMatch !== null && !input.ifMatch.includes(String(product.version))) {
    throw new ShelfsyncError(
      'product/version-mismatch',
      `"${product.title}" is at version ${product.version} now, not ${input.ifMatch.join(' or ')}. Here are its newer values.`,
      { product },
    )
  }
  const onHand = input.body.onHand ?? product.onHand
  if (onHand < product.held) {
    throw new ShelfsyncError(
      'stock/below-held',
      `${product.held} units of "${product.title}" are held; on hand cannot go below that.`,
      { held: product.held, sku: product.sku },
    )
  }
  const edited = { ...product, ...input.body, onHand }
  // A PATCH that names only the values the product has already changes no row: no new version
  // and no commit (the answer carries the newest seq, like every command that changes nothing).
  const unchanged =
    edited.title === product.title &&
    edited.priceCents === product.priceCents &&
    edited.onHand === product.onHand
  return unchanged ? product : emitUpserted(tx, tx.rows.products.update(edited))
}

export const restockProduct = (tx: Tx, input: { sku: string; qty: number }): Product => {
  const product = findProduct(tx, input.sku)
  if (product.onHand + input.qty > LIMITS.onHandMax) {
    throw new ShelfsyncError(
      'request/invalid',
      `On hand may not exceed ${LIMITS.onHandMax}; "${product.sku}" has ${product.onHand}.`,
    )
  }
  return changeStock(tx, product, { onHand: product.onHand + input.qty })
}

/**
 * Deletes a product, releasing every hold on it first: its cart lines go, and each pending order
 * that holds it is cancelled (it was for units the shop no longer sells), which releases the
 * order's other products too. One `stock/changed` per other product, then `product/removed`.
 */
export const deleteProduct = (tx: Tx, sku: string): void => {
  const product = findProduct(tx, sku)
  const release = createRelease()
  for (const order of tx.rows.orders.pendingWith(sku)) {
    tx.rows.orders.setStatus(order.id, 'cancelled')
    tx.emit({ type: 'order/cancelled', payload: { user: order.user, orderId: order.id } })
    for (const line of order.lines) if (line.sku !== sku) release.add(line.sku, line.qty)
  }
  release.apply(tx)
  for (const line of tx.rows.carts.ofSku(sku)) {
    tx.rows.carts.delete(line.user, sku)
    tx.emit({
      type: 'cart/line-removed',
      payload: { user: line.user, sku, reason: 'product-removed' },
    })
  }
  const version = tx.rows.products.remove(product)
  tx.emit({ type: 'product/removed', payload: { sku, version } })
}
