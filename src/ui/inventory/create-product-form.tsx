// Adds a product to the catalog (`POST /api/products`).
import type { FormEvent, ReactNode } from 'react'
import { useId, useState } from 'react'
import { isDotSegment, NAME_PATTERN } from '../../actions/index.js'
import { problemSentence } from '../../store/index.js'
import { useShopClient } from '../../store/react.js'
import { Heading, useSectionLabel } from '../layout/heading.js'
import type { ProductFieldValues } from './product-fields.js'
import {
  type FormError,
  isFieldProblem,
  ProductFields,
  parseProductFields,
} from './product-fields.js'

const EMPTY: ProductFieldValues = { title: '', price: '', onHand: '0' }

export const CreateProductForm = (): ReactNode => {
  const client = useShopClient()
  const id = useId()
  const label = useSectionLabel(`${id}-heading`)
  const [sku, setSku] = useState('')
  const [values, setValues] = useState(EMPTY)
  const [error, setError] = useState<FormError | null>(null)
  const [busy, setBusy] = useState(false)
  // Said once a product is made (the emptied form alone says nothing), until the next typing.
  const [created, setCreated] = useState<string | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!NAME_PATTERN.test(sku) || isDotSegment(sku)) {
      setError({
        field: 'sku',
        message:
          'The sku is 1 to 64 letters, digits, dots, dashes or underscores, and not "." or "..".',
      })
      return
    }
    const parsed = parseProductFields(values)
    if (isFieldProblem(parsed)) {
      setError(parsed)
      return
    }
    setBusy(true)
    setError(null)
    const result = await client.createProduct({ sku, ...parsed })
    setBusy(false)
    if (!result.ok) {
      // A taken sku is the sku field's problem: tied to it, like the form's own checks.
      const field = result.problem.code === 'product/exists' ? 'sku' : undefined
      setError({ message: problemSentence(result.problem), ...(field ? { field } : {}) })
      return
    }
    setSku('')
    setValues(EMPTY)
    setCreated(parsed.title)
  }

  return (
    <section className="create" aria-labelledby={label}>
      <Heading id={`${id}-heading`} className="section-title">
        New product
      </Heading>
      <form className="create__form" onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor={`${id}-sku`}>Sku</label>
          <input
            id={`${id}-sku`}
            name="sku"
            value={sku}
            required
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            {...(error?.field === 'sku'
              ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` }
              : {})}
            onChange={(event) => {
              setSku(event.target.value)
              setError(null) // a message about what was typed before is no longer true
              setCreated(null)
            }}
          />
        </div>
        <ProductFields
          values={values}
          onChange={(next) => {
            setValues(next)
            setError(null)
            setCreated(null)
          }}
          problem={
            error?.field === undefined
              ? undefined
              : { field: error.field, messageId: `${id}-error` }
          }
        />
        {error === null ? null : (
          <p id={`${id}-error`} className="form-error" role="alert">
            {error.message}
          </p>
        )}
        <p className="hint" role="status" data-testid="product-created">
          {created === null ? null : `Added ${created} to the shop.`}
        </p>
        <button type="submit" className="button button--primary" disabled={busy}>
          Create product
        </button>
      </form>
    </section>
  )
}
