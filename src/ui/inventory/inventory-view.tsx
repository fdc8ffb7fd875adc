// The Inventory screen's body (admin): every product with its counts and controls, and a form to
// add one. Used by the Inventory route and by the Demo page's inventory panel.
import type { ReactNode } from 'react'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { selectProducts, selectSession } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { Heading, useSectionLabel } from '../layout/heading.js'
import { CreateProductForm } from './create-product-form.js'
import { InventoryRow } from './inventory-row.js'

export const InventoryView = (): ReactNode => {
  const session = useShop(selectSession)
  if (session !== null && session.role !== 'admin') {
    return (
      <p className="hint" data-testid="inventory-forbidden">
        Only an admin can manage the inventory. Sign in as <code>admin</code> to try it.
      </p>
    )
  }
  return (
    <div className="inventory" data-testid="inventory">
      {/* Keyed by user: signing in as someone else empties the store until their snapshot comes,
          which is no deletion of the products being edited. */}
      <StockSection key={session?.user ?? ''} />
      <CreateProductForm />
    </div>
  )
}

const vanishedSentence = (titles: readonly string[]): string =>
  titles.length === 1
    ? `${titles[0]} was deleted while you were editing it; your changes were not saved.`
    : `${titles.join(' and ')} were deleted while you were editing them; your changes were not saved.`

/**
 * The products, and which of them are open for editing: one deleted meanwhile (by another admin)
 * is not just gone with the admin's unsaved changes, a status line says so.
 */
const StockSection = (): ReactNode => {
  const products = useShop(selectProducts)
  const headingId = useId()
  const label = useSectionLabel(headingId)
  const [editing, setEditing] = useState<ReadonlySet<string>>(new Set())
  const [vanished, setVanished] = useState<readonly string[] | null>(null)
  // The last title seen of each product open for editing: the line names it once it is gone.
  const titles = useRef(new Map<string, string>())
  const line = useRef<HTMLParagraphElement>(null)
  const onEditing = useCallback((sku: string, open: boolean) => {
    setEditing((before) => {
      const after = new Set(before)
      if (open) after.add(sku)
      else after.delete(sku)
      return after
    })
    if (open) setVanished(null)
  }, [])
  useEffect(() => {
    const present = new Map(products.map((p) => [p.sku, p.title]))
    for (const sku of titles.current.keys()) if (!editing.has(sku)) titles.current.delete(sku)
    const gone: string[] = []
    for (const sku of editing) {
      const title = present.get(sku)
      if (title === undefined) gone.push(titles.current.get(sku) ?? sku)
      else titles.current.set(sku, title)
    }
    if (gone.length === 0) return
    setEditing((before) => new Set([...before].filter((sku) => present.has(sku))))
    setVanished(gone)
  }, [editing, products])
  useEffect(() => {
    // The form that had the focus went with the product; the line takes it, not the page.
    if (vanished !== null && document.activeElement === document.body) line.current?.focus()
  }, [vanished])
  return (
    <section aria-labelledby={label}>
      <Heading id={headingId} className="section-title">
        Stock
      </Heading>
      <p
        ref={line}
        className="hint inventory__notice"
        role="status"
        tabIndex={-1}
        data-testid="edit-vanished"
      >
        {vanished === null ? null : vanishedSentence(vanished)}
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
  )
}
