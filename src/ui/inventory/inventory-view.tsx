// The Inventory screen's body (admin): every product with its counts and controls, and a form to
// add one. Used by the Inventory route and by the Demo page's inventory panel. It knows which
// products are open for editing, so that one deleted meanwhile (by another admin) is not just
// gone with the admin's unsaved changes: a status line says so.
import type { ReactNode } from 'react'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { selectProducts, selectSession } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { Heading } from '../layout/heading.js'
import { CreateProductForm } from './create-product-form.js'
import { InventoryRow } from './inventory-row.js'

export const InventoryView = (): ReactNode => {
  const session = useShop(selectSession)
  const products = useShop(selectProducts)
  const headingId = useId()
  // sku → title of the products open for editing (the title outlives the product, for the line).
  const [editing, setEditing] = useState<ReadonlyMap<string, string>>(new Map())
  const [vanished, setVanished] = useState<readonly string[] | null>(null)
  const vanishedLine = useRef<HTMLParagraphElement>(null)
  const onEditing = useCallback((sku: string, title: string | null) => {
    setEditing((before) => {
      const after = new Map(before)
      if (title === null) after.delete(sku)
      else after.set(sku, title)
      return after
    })
    if (title !== null) setVanished(null)
  }, [])
  useEffect(() => {
    const gone = [...editing].filter(([sku]) => !products.some((p) => p.sku === sku))
    if (gone.length === 0) return
    setEditing((before) => new Map([...before].filter(([sku]) => !gone.some(([g]) => g === sku))))
    setVanished(gone.map(([, title]) => title))
  }, [editing, products])
  useEffect(() => {
    // The form that had the focus went with the product; the line takes it, not the page.
    if (vanished !== null && document.activeElement === document.body) vanishedLine.current?.focus()
  }, [vanished])
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
        <p
          ref={vanishedLine}
          className="hint inventory__notice"
          role="status"
          tabIndex={-1}
          data-testid="edit-vanished"
        >
          {vanished === null
            ? null
            : vanished.length === 1
              ? `${vanished[0]} was deleted while you were editing it; your changes were not saved.`
              : `${vanished.join(' and ')} were deleted while you were editing them; your changes were not saved.`}
        </p>
        <ul className="inventory__list">
          {products.map((product) => (
            <InventoryRow
              key={product.sku}
              product={product}
              editing={editing.has(product.sku)}
              onEditing={onEditing}
            />
          ))}
        </ul>
      </section>
      <CreateProductForm />
    </div>
  )
}
