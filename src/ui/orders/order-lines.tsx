// The lines of an order, with the titles the shop knows and the prices taken at checkout.
import type { ReactNode } from 'react'
import type { Order } from '../../store/index.js'
import { selectProduct } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { formatCents } from '../format/money.js'

type Line = Order['lines'][number]

/** One line; it re-renders when its own product changes, not on every stock change. */
const OrderLine = ({ line }: { line: Line }): ReactNode => {
  const title = useShop(selectProduct(line.sku))?.title ?? line.sku
  return (
    <li>
      {line.qty} × {title} <span className="muted">at {formatCents(line.priceCents)} each</span>
    </li>
  )
}

export const OrderLines = ({ order }: { order: Order }): ReactNode => (
  <ul className="order__lines">
    {order.lines.map((line) => (
      <OrderLine key={line.sku} line={line} />
    ))}
  </ul>
)
