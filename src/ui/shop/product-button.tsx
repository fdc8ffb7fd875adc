// The button of the brief for one product, as the store decides it (`selectButton`): Add,
// Sold out (disabled), Remove, or a quantity control.
import type { ReactNode } from 'react'
import type { ProductView } from '../../store/index.js'
import { selectButton, selectCartLine } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'
import { QuantityControl } from './quantity-control.js'

export const ProductButton = ({ product }: { product: ProductView }): ReactNode => {
  const client = useShopClient()
  const { sku, title } = product
  const state = useShop(selectButton(sku))
  const line = useShop(selectCartLine(sku))

  const body = ((): ReactNode => {
    switch (state) {
      case 'add':
        return (
          <button
            type="button"
            className="button button--primary"
            aria-label={`Add ${title} to cart`}
            onClick={() => void client.setCartQty(sku, 1)}
          >
            Add
          </button>
        )
      case 'sold-out':
        return (
          <button type="button" className="button" aria-label={`${title} is sold out`} disabled>
            Sold out
          </button>
        )
      case 'remove':
        return (
          <button
            type="button"
            className="button button--quiet"
            aria-label={`Remove ${title} from cart`}
            onClick={() => void client.removeFromCart(sku)}
          >
            Remove
          </button>
        )
      case 'change-quantity':
        return <QuantityControl product={product} qty={line?.qty ?? 1} />
    }
  })()

  return (
    <div className="product__action" data-testid={`product-button-${sku}`} data-state={state}>
      {body}
    </div>
  )
}
