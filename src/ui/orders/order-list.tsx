// The user's orders with their status; pending ones first, as they are the ones to act on.
import type { ReactNode } from 'react'
import { useId } from 'react'
import type { Order } from '../../store/index.js'
import { selectOrders } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { Heading, useSectionLabel } from '../layout/heading.js'
import { OrderItem } from './order-item.js'

const pendingFirst = (a: Order, b: Order): number =>
  Number(b.status === 'pending') - Number(a.status === 'pending') || b.expiresAt - a.expiresAt

export const OrderList = (): ReactNode => {
  const orders = useShop(selectOrders)
  const headingId = useId()
  const label = useSectionLabel(headingId)
  if (orders.length === 0) return null
  return (
    <section className="orders" aria-labelledby={label} data-testid="orders">
      <Heading id={headingId} className="section-title">
        Your orders
      </Heading>
      <ul className="orders__list">
        {[...orders].sort(pendingFirst).map((order) => (
          <OrderItem key={order.id} order={order} />
        ))}
      </ul>
    </section>
  )
}
