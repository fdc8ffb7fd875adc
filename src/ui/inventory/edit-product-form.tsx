// Edits a product with `If-Match` on the version the admin started from. An edit that lost a race
// (412) shows the newer values and lets the admin keep theirs or take the newer ones.
import type { FormEvent, ReactNode } from 'react'
import { useState } from 'react'
import type { PatchProductBody } from '../../actions/index.js'
import type { Product, ProductView } from '../../store/index.js'
import { problemSentence, selectProduct } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'
import { centsToField, formatCents } from '../format/money.js'
import { newerProductOf } from './conflict.js'
import type { ProductFieldValues } from './product-fields.js'
import { ProductFields, parseProductFields } from './product-fields.js'

export interface EditProductFormProps {
  product: ProductView
  onDone(): void
}

const fieldsOf = (product: Product): ProductFieldValues => ({
  title: product.title,
  price: centsToField(product.priceCents),
  onHand: String(product.onHand),
})

/** Only what the admin changed from `original`, so a retry does not undo someone else's change. */
const changesFrom = (
  original: Product,
  next: { title: string; priceCents: number; onHand: number },
): PatchProductBody => {
  const patch: PatchProductBody = {}
  if (next.title !== original.title) patch.title = next.title
  if (next.priceCents !== original.priceCents) patch.priceCents = next.priceCents
  if (next.onHand !== original.onHand) patch.onHand = next.onHand
  return patch
}

export const EditProductForm = ({ product, onDone }: EditProductFormProps): ReactNode => {
  const client = useShopClient()
  const current = useShop(selectProduct(product.sku))
  const [original, setOriginal] = useState<Product>(product)
  const [version, setVersion] = useState(product.version)
  const [values, setValues] = useState(() => fieldsOf(product))
  const [newer, setNewer] = useState<Product | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const save = async (ifVersion: number): Promise<void> => {
    const parsed = parseProductFields(values)
    if (typeof parsed === 'string') return setError(parsed)
    const patch = changesFrom(original, parsed)
    if (Object.keys(patch).length === 0) return onDone()
    setBusy(true)
    setError(null)
    const result = await client.patchProduct(product.sku, patch, { version: ifVersion })
    setBusy(false)
    if (result.ok) return onDone()
    const lostTo = newerProductOf(result.problem, current)
    if (lostTo !== null) setNewer(lostTo)
    else setError(problemSentence(result.problem))
  }

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void save(version)
  }
  const keepMine = (): void => {
    if (newer === null) return
    setVersion(newer.version)
    setNewer(null)
    void save(newer.version)
  }
  const takeTheirs = (): void => {
    if (newer === null) return
    setOriginal(newer)
    setVersion(newer.version)
    setValues(fieldsOf(newer))
    setNewer(null)
  }

  return (
    <form className="edit-form" onSubmit={submit} data-testid={`edit-form-${product.sku}`}>
      <ProductFields values={values} onChange={setValues} of={product.title} />
      {newer === null ? null : (
        <div className="conflict" role="alert" data-testid="edit-conflict">
          <p>
            Someone changed this product while you were editing. It now reads:{' '}
            <strong>{newer.title}</strong>, {formatCents(newer.priceCents)}, {newer.onHand} in
            stock.
          </p>
          <div className="row">
            <button type="button" className="button button--primary" onClick={keepMine}>
              Save my changes on top
            </button>
            <button type="button" className="button" onClick={takeTheirs}>
              Start again from these values
            </button>
          </div>
        </div>
      )}
      {error === null ? null : (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button button--primary" disabled={busy || newer !== null}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button--quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
