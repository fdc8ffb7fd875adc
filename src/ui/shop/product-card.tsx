// One product of the shop: title, price, how many are available, and its button.
import type { ReactNode } from 'react'
import { memo } from 'react'
import type { ProductView } from '../../store/index.js'
import { formatCents } from '../format/money.js'
import { Heading } from '../layout/heading.js'
import { ProductButton } from './product-button.js'

const availability = (available: number): string =>
  available === 0 ? 'None available' : `${available} available`

// Memoised: the store keeps an unchanged item's object, so a list re-renders only what changed.
export const ProductCard = memo(
  ({ product }: { product: ProductView }): ReactNode => (
    <li className="product" data-testid={`product-${product.sku}`}>
      <div className="product__text">
        <Heading depth={1} className="product__title">
          {product.title}
        </Heading>
        <p className="product__meta">
          <span className="product__price">{formatCents(product.priceCents)}</span>
          <span className="product__available" data-testid={`available-${product.sku}`}>
            {availability(product.available)}
          </span>
        </p>
      </div>
      <ProductButton product={product} />
    </li>
  ),
)
