// Edits a product with `If-Match` on the version the admin started from. An edit that lost a race
// (412) shows the newer values and lets the admin keep theirs or take the newer ones. A product's
// version also moves when customers hold units; a race lost only to that (title, price and stock
// as the admin started from) is no conflict, and the edit goes again on the newer version.
import type { FormEvent, ReactNode } from 'react'
import { useId, useState } from 'react'
import type { PatchProductBody } from '../../actions/index.js'
import type { Product, ProductView } from '../../store/index.js'
import { problemSentence, selectProduct } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'
import { centsToField, formatCents } from '../format/money.js'
import { newerProductOf } from './conflict.js'
import type { ProductFieldValues } from './product-fields.js'
import {
  type FormError,
  isFieldProblem,
  ProductFields,
  parseProductFields,
} from './product-fields.js'

export interface EditProductFormProps {
  product: ProductView
  onDone(): void
}

const fieldsOf = (product: Product): ProductFieldValues => ({
  title: product.title,
  price: centsToField(product.priceCents),
  onHand: String(product.onHand),
})

const FIELD_NAMES = { title: 'title', priceCents: 'price', onHand: 'stock' } as const
type EditedField = keyof typeof FIELD_NAMES

/** The edited fields (title, price, stock) that `next` has changed from `original`. */
const changedFields = (original: Product, next: Pick<Product, EditedField>): EditedField[] =>
  (Object.keys(FIELD_NAMES) as EditedField[]).filter((field) => next[field] !== original[field])

/** Races lost only to customers' holds that are retried on their own before asking the admin. */
const HOLD_RETRIES = 3

/** Only what the admin changed from `original`, so a retry does not undo someone else's change. */
const changesFrom = (original: Product, next: Pick<Product, EditedField>): PatchProductBody =>
  Object.fromEntries(changedFields(original, next).map((field) => [field, next[field]]))

export const EditProductForm = ({ product, onDone }: EditProductFormProps): ReactNode => {
  const client = useShopClient()
  const current = useShop(selectProduct(product.sku))
  const [original, setOriginal] = useState<Product>(product)
  const [version, setVersion] = useState(product.version)
  const [values, setValues] = useState(() => fieldsOf(product))
  const [newer, setNewer] = useState<Product | null>(null)
  const [error, setError] = useState<FormError | null>(null)
  const [busy, setBusy] = useState(false)
  const errorId = useId()

  /** Sends the admin's changes on `ifVersion`; `base` is what that version read, to tell holds apart. */
  const save = async (ifVersion: number, base: Product = original): Promise<void> => {
    const parsed = parseProductFields(values)
    if (isFieldProblem(parsed)) return setError(parsed)
    const patch = changesFrom(original, parsed)
    if (Object.keys(patch).length === 0) return onDone()
    setBusy(true)
    setError(null)
    let version = ifVersion
    for (let attempt = 0; ; attempt += 1) {
      const result = await client.patchProduct(product.sku, patch, { version })
      if (result.ok) {
        setBusy(false)
        return onDone()
      }
      const lostTo = newerProductOf(result.problem, current)
      if (lostTo !== null && changedFields(base, lostTo).length === 0 && attempt < HOLD_RETRIES) {
        version = lostTo.version // only holds moved: nothing of the admin's to weigh
        setVersion(version)
        continue
      }
      setBusy(false)
      if (lostTo !== null) setNewer(lostTo)
      else setError({ message: problemSentence(result.problem) })
      return
    }
  }

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void save(version)
  }
  // The newer values as they are now: the stream may have moved them on since the 412.
  const theirs =
    newer !== null && current !== undefined && current.version > newer.version ? current : newer
  const typed = parseProductFields(values)
  // Fields both the admin and someone else changed: saving on top overwrites the other's value.
  const mine = theirs === null || isFieldProblem(typed) ? [] : changedFields(original, typed)
  const both =
    theirs === null ? [] : changedFields(original, theirs).filter((f) => mine.includes(f))
  const keepMine = (): void => {
    if (theirs === null) return
    setVersion(theirs.version)
    setNewer(null)
    void save(theirs.version, theirs)
  }
  const takeTheirs = (): void => {
    if (theirs === null) return
    setOriginal(theirs)
    setVersion(theirs.version)
    setValues(fieldsOf(theirs))
    setNewer(null)
  }

  return (
    <form
      className="edit-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) onDone() // as Cancel
      }}
      data-testid={`edit-form-${product.sku}`}
    >
      <ProductFields
        values={values}
        onChange={(next) => {
          setValues(next)
          setError(null) // a message about what was typed before is no longer true
        }}
        of={product.title}
        focusTitle
        problem={
          error?.field === undefined ? undefined : { field: error.field, messageId: errorId }
        }
      />
      {theirs === null ? null : (
        <div className="conflict" role="alert" data-testid="edit-conflict">
          <p>
            Someone changed this product while you were editing. It now reads:{' '}
            <strong>{theirs.title}</strong>, {formatCents(theirs.priceCents)}, {theirs.onHand} in
            stock.
            {both.length === 0
              ? null
              : ` You both changed the ${both.map((field) => FIELD_NAMES[field]).join(' and ')}: saving yours on top replaces theirs.`}
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
        <p id={errorId} className="form-error" role="alert">
          {error.message}
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
