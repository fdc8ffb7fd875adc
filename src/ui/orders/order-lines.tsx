// The lines of an order, with the titles the shop knows and the prices taken at checkout.
import type { ReactNode } from 'react'
import type { Order } from '../../store/index.js'
import { selectProducts } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { formatCents } from '../format/money.js'

export const OrderLines = ({ order }: { order: Order }): ReactNode => {
  const products = useShop(selectProducts)
  const titleOf = (sku: string): string => products.find((p) => p.sku === sku)?.title ?? sku
  return (
    <ul className="order__lines">
      {order.lines.map((line) => (
        <li key={line.sku}>
          {line.qty} × {titleOf(line.sku)}{' '}
          <span className="muted">at {formatCents(line.priceCents)} each</span>
        </li>
      ))}
    </ul>
  )
}
