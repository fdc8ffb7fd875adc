// Every product of the shop, in sku order as the store lists them.
import type { ReactNode } from 'react'
import { useId } from 'react'
import { selectLoaded, selectProducts } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { Heading, useSectionLabel } from '../layout/heading.js'
import { ProductCard } from './product-card.js'

export const ProductList = (): ReactNode => {
  const products = useShop(selectProducts)
  const loaded = useShop(selectLoaded)
  const headingId = useId()
  const label = useSectionLabel(headingId)
  return (
    <section className="products" aria-labelledby={label}>
      <Heading id={headingId} className="section-title">
        Products
      </Heading>
      {products.length === 0 ? (
        <p className="empty">{loaded ? 'No products yet.' : 'Loading the shop…'}</p>
      ) : (
        <ul className="products__list">
          {products.map((product) => (
            <ProductCard key={product.sku} product={product} />
          ))}
        </ul>
      )}
    </section>
  )
}
