// How an order is named to people: by its total, which a screen reader reads better than its id.
import type { Order } from '../../store/index.js'
import { formatCents } from '../format/money.js'

/** @example `orderName(order) // 'order of $178.00'` */
export const orderName = (order: Pick<Order, 'totalCents'>): string =>
  `order of ${formatCents(order.totalCents)}`
