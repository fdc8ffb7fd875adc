// One product for the admin: "in cart N | in stock M", restock, edit and delete.
import type { ReactNode } from 'react'
import { memo } from 'react'
import type { ProductView } from '../../store/index.js'
import { selectInventory } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { useKeepFocus } from '../focus/use-keep-focus.js'
import { formatCents } from '../format/money.js'
import { Heading } from '../layout/heading.js'
import { DeleteProductButton } from './delete-product-button.js'
import { EditProductForm } from './edit-product-form.js'
import { RestockForm } from './restock-form.js'

export interface InventoryRowProps {
  product: ProductView
  /** The edit form is open in place of the buttons. */
  editing: boolean
  /** Opens (true) or closes (false) the edit form. */
  onEditing(sku: string, open: boolean): void
}

// Memoised: the store keeps an unchanged item's object, so a list re-renders only what changed.
export const InventoryRow = memo(
  ({ product, editing, onEditing }: InventoryRowProps): ReactNode => {
    const row = useShop(selectInventory(product.sku))
    // Edit opens a form in place of the buttons and Save or Cancel closes it: the focus goes to the
    // form's title, then back to Edit.
    const controls = useKeepFocus<HTMLDivElement>()
    if (row === undefined) return null
    return (
      <li className="inv-row" data-testid={`inventory-row-${product.sku}`}>
        <div className="inv-row__head">
          <Heading depth={1} className="inv-row__title">
            {product.title}
          </Heading>
          <span className="inv-row__sku">{product.sku}</span>
          <span className="inv-row__price">{formatCents(product.priceCents)}</span>
        </div>
        <p className="inv-row__counts" data-testid={`inventory-counts-${product.sku}`}>
          in cart {row.inCart} <span aria-hidden="true">|</span> in stock {row.inStock}
        </p>
        <div className={editing ? undefined : 'inv-row__actions'}>
          {editing ? null : <RestockForm product={product} />}
          <div ref={controls} className={editing ? undefined : 'row'}>
            {editing ? (
              <EditProductForm product={product} onDone={() => onEditing(product.sku, false)} />
            ) : (
              <>
                <button
                  type="button"
                  className="button button--quiet button--small"
                  aria-label={`Edit ${product.title}`}
                  data-focus-first
                  onClick={() => onEditing(product.sku, true)}
                >
                  Edit
                </button>
                <DeleteProductButton product={product} />
              </>
            )}
          </div>
        </div>
      </li>
    )
  },
)
