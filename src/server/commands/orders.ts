// Order commands: the cart becomes a pending order that keeps its holds until paid, cancelled
// or expired. Only `pending` moves on, and only once.
import type { Order, OrderStatus } from '../../actions/index.js'
import { publicOrder } from '../db/orders.js'
import { ShelfsyncError } from '../errors.js'
import { randomId } from '../random.js'
import { changeStock, findProduct } from './stock.js'
import type { Tx } from './writer.js'

export const checkout = (tx: Tx, input: { user: string; holdTtlMs: number }): Order => {
  const { user } = input
  const lines = tx.rows.carts.ofUser(user)
  if (lines.length === 0) throw new ShelfsyncError('cart/empty', 'The cart is empty.')
  const orderLines = lines.map((line) => ({
    sku: line.sku,
    qty: line.qty,
    priceCents: findProduct(tx, line.sku).priceCents,
  }))
  const order: Order = {
    id: `ord_${randomId(12)}`,
    status: 'pending',
    lines: orderLines,
    totalCents: orderLines.reduce((sum, line) => sum + line.qty * line.priceCents, 0),
    expiresAt: tx.now + input.holdTtlMs,
  }
  for (const line of lines) {
    tx.rows.carts.delete(user, line.sku)
    tx.emit({ type: 'cart/line-removed', payload: { user, sku: line.sku, reason: 'checked-out' } })
  }
  // The seq column orders a user's orders; the commit is the next one.
  tx.rows.orders.insert({ ...order, user }, tx.now, tx.rows.log.head() + 1)
  tx.emit({ type: 'order/placed', payload: { user, order } })
  return order
}

const pendingOrder = (tx: Tx, user: string, id: string) => {
  const order = tx.rows.orders.get(id)
  if (!order || order.user !== user) {
    throw new ShelfsyncError('order/not-found', `There is no order "${id}".`)
  }
  if (order.status !== 'pending') {
    throw new ShelfsyncError('order/not-pending', `The order is ${order.status}.`, {
      orderStatus: order.status,
    })
  }
  return order
}

const close = (tx: Tx, user: string, id: string, status: Exclude<OrderStatus, 'pending'>) => {
  const order = pendingOrder(tx, user, id)
  for (const line of order.lines) {
    const product = findProduct(tx, line.sku)
    changeStock(tx, product, {
      held: product.held - line.qty,
      onHand: status === 'paid' ? product.onHand - line.qty : product.onHand,
    })
  }
  tx.rows.orders.setStatus(id, status)
  tx.emit({ type: `order/${status}`, payload: { user, orderId: id } })
  return publicOrder({ ...order, status })
}

/** Simulated payment: the order's units leave `onHand` and `held`. */
export const payOrder = (tx: Tx, input: { user: string; id: string }): Order =>
  close(tx, input.user, input.id, 'paid')

export const cancelOrder = (tx: Tx, input: { user: string; id: string }): Order =>
  close(tx, input.user, input.id, 'cancelled')
