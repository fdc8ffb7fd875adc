// Releases what has lapsed: cart holds past `expiresAt` and pending orders past theirs.
// Runs first in every write transaction, at start-up, and from a timer aimed at the next expiry.
import { createRelease } from './stock.js'
import type { Tx } from './writer.js'

/** Releases every lapsed hold and order as of `tx.now`, emitting one stock/changed per sku. */
export const releaseLapsed = (tx: Tx): void => {
  const release = createRelease()

  for (const line of tx.rows.carts.lapsed(tx.now)) {
    tx.rows.carts.delete(line.user, line.sku)
    tx.emit({
      type: 'cart/line-removed',
      payload: { user: line.user, sku: line.sku, reason: 'expired' },
    })
    release.add(line.sku, line.qty)
  }
  for (const order of tx.rows.orders.lapsed(tx.now)) {
    tx.rows.orders.setStatus(order.id, 'expired')
    tx.emit({ type: 'order/expired', payload: { user: order.user, orderId: order.id } })
    for (const line of order.lines) release.add(line.sku, line.qty)
  }
  release.apply(tx)
}

/** When the next hold or pending order lapses, or null when none is open. */
export const nextExpiry = (tx: Pick<Tx, 'rows'>): number | null => {
  const times = [tx.rows.carts.nextExpiry(), tx.rows.orders.nextExpiry()].filter(
    (t): t is number => t !== null,
  )
  return times.length ? Math.min(...times) : null
}
