// The user's cart: each hold with its time left, the total, and checkout.
import type { ReactNode } from 'react'
import { useId } from 'react'
import { selectCartLines, selectCartTotalCents } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { useKeepFocus } from '../focus/use-keep-focus.js'
import { formatCents } from '../format/money.js'
import { Heading, useSectionLabel } from '../layout/heading.js'
import { CartLineItem } from './cart-line-item.js'
import { CheckoutButton } from './checkout-button.js'

export const CartPanel = (): ReactNode => {
  const lines = useShop(selectCartLines)
  const total = useShop(selectCartTotalCents)
  const headingId = useId()
  const label = useSectionLabel(headingId)
  // A line's Remove takes the line, and the focus, away: it goes to the next line's Remove.
  const area = useKeepFocus<HTMLElement>()
  return (
    <section ref={area} className="cart" aria-labelledby={label} data-testid="cart">
      <Heading id={headingId} className="section-title" tabIndex={-1} data-focus-fallback>
        Your cart
      </Heading>
      {lines.length === 0 ? (
        <p className="empty">Nothing held yet.</p>
      ) : (
        <>
          <ul className="cart__lines">
            {lines.map((line) => (
              <CartLineItem key={line.sku} line={line} />
            ))}
          </ul>
          <p className="cart__total">
            Total <strong data-testid="cart-total">{formatCents(total)}</strong>
          </p>
          <CheckoutButton />
        </>
      )}
    </section>
  )
}
