// The button of the brief for one product, as the store decides it (`selectButton`): Add,
// Sold out, Remove, or a quantity control. A customer shown "Sold out" is waiting for it: the
// store is asked to say when it is back (`watchProduct`), which it does once and then forgets.
// The wait outlives the button (the notice shows on any screen); signing in as someone else ends it.
import type { ReactNode } from 'react'
import { useEffect } from 'react'
import type { ProductView } from '../../store/index.js'
import { selectButton, selectCartLine, selectSession } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'
import { useKeepFocus } from '../focus/use-keep-focus.js'
import { QuantityControl } from './quantity-control.js'

export const ProductButton = ({ product }: { product: ProductView }): ReactNode => {
  const client = useShopClient()
  const { sku, title } = product
  const state = useShop(selectButton(sku))
  const line = useShop(selectCartLine(sku))
  const user = useShop(selectSession)?.user

  useEffect(() => {
    if (state === 'sold-out' && user !== undefined) client.watchProduct(sku)
  }, [client, sku, state, user])

  const area = useKeepFocus<HTMLDivElement>()

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
          // aria-disabled, not disabled: it stays in the tab order, so a keyboard user hears it.
          <button
            type="button"
            className="button"
            aria-label={`${title} is sold out. You will be told when it is back.`}
            aria-disabled="true"
          >
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
    <div
      ref={area}
      className="product__action"
      data-testid={`product-button-${sku}`}
      data-state={state}
    >
      {body}
    </div>
  )
}
