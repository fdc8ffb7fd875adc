// The Inventory screen's body (admin): every product with its counts and controls, and a form to
// add one. Used by the Inventory route and by the Demo page's inventory panel.
import type { ReactNode } from 'react'
import { useId } from 'react'
import { selectProducts, selectSession } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { Heading } from '../layout/heading.js'
import { CreateProductForm } from './create-product-form.js'
import { InventoryRow } from './inventory-row.js'

export const InventoryView = (): ReactNode => {
  const session = useShop(selectSession)
  const products = useShop(selectProducts)
  const headingId = useId()
  if (session !== null && session.role !== 'admin') {
    return (
      <p className="hint" data-testid="inventory-forbidden">
        Only an admin can manage the inventory. Sign in as <code>admin</code> to try it.
      </p>
    )
  }
  return (
    <div className="inventory" data-testid="inventory">
      <section aria-labelledby={headingId}>
        <Heading id={headingId} className="section-title">
          Stock
        </Heading>
        <ul className="inventory__list">
          {products.map((product) => (
            <InventoryRow key={product.sku} product={product} />
          ))}
        </ul>
      </section>
      <CreateProductForm />
    </div>
  )
}
