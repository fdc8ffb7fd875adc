// The quantity control of a product already in the cart: one fewer (down to removing it), the
// number held, one more while units are available.
import type { ReactNode } from 'react'
import { LIMITS } from '../../actions/index.js'
import type { ProductView } from '../../store/index.js'
import { useShopClient } from '../../store/react.js'

export interface QuantityControlProps {
  product: ProductView
  qty: number
}

export const QuantityControl = ({ product, qty }: QuantityControlProps): ReactNode => {
  const client = useShopClient()
  const { sku, title } = product
  const canAdd = product.available > 0 && qty < LIMITS.qtyMax
  const fewer = (): void => {
    void (qty > 1 ? client.setCartQty(sku, qty - 1) : client.removeFromCart(sku))
  }
  return (
    <fieldset className="qty" data-testid="quantity-control">
      <legend className="sr-only">Quantity of {title} in your cart</legend>
      <button
        type="button"
        className="qty__step"
        aria-label={qty > 1 ? `One fewer ${title}` : `Remove ${title} from cart`}
        onClick={fewer}
      >
        <span aria-hidden="true">−</span>
      </button>
      <output className="qty__value" aria-live="polite" data-testid="quantity">
        <span className="sr-only">In cart: </span>
        {qty}
      </output>
      <button
        type="button"
        className="qty__step"
        aria-label={`One more ${title}`}
        data-focus-first
        disabled={!canAdd}
        onClick={() => void client.setCartQty(sku, qty + 1)}
      >
        <span aria-hidden="true">+</span>
      </button>
    </fieldset>
  )
}
