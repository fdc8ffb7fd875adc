// One line of the cart, i.e. one hold: what, how many, the subtotal and the hold's time left.
import type { ReactNode } from 'react'
import type { HeldLine } from '../../store/index.js'
import { selectProduct } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'
import { formatCents } from '../format/money.js'
import { Countdown } from '../time/countdown.js'

export const CartLineItem = ({ line }: { line: HeldLine }): ReactNode => {
  const client = useShopClient()
  const product = useShop(selectProduct(line.sku))
  const title = product?.title ?? line.sku
  return (
    <li className="cart-line" data-testid={`cart-line-${line.sku}`}>
      <div className="cart-line__text">
        <span className="cart-line__title">{title}</span>
        <span className="cart-line__qty">
          {line.qty} × {formatCents(product?.priceCents ?? 0)}
        </span>
      </div>
      <Countdown expiresAt={line.expiresAt} label={`Hold on ${title}`} />
      <button
        type="button"
        className="button button--quiet button--small"
        aria-label={`Remove ${title} from cart`}
        onClick={() => void client.removeFromCart(line.sku)}
      >
        Remove
      </button>
    </li>
  )
}
