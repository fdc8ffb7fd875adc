// Adds units to a product's stock (`POST /api/products/:sku/restock`).
import type { FormEvent, ReactNode } from 'react'
import { useId, useState } from 'react'
import { LIMITS } from '../../actions/index.js'
import type { ProductView } from '../../store/index.js'
import { problemSentence } from '../../store/index.js'
import { useShopClient } from '../../store/react.js'

export const RestockForm = ({ product }: { product: ProductView }): ReactNode => {
  const client = useShopClient()
  const id = useId()
  const [qty, setQty] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const units = Number(qty)
    if (!Number.isInteger(units) || units < 1 || units > LIMITS.restockMax) {
      setError(
        `Restock by a whole number of units, from 1 to ${LIMITS.restockMax.toLocaleString('en-US')}.`,
      )
      return
    }
    setBusy(true)
    setError(null)
    const result = await client.restock(product.sku, units)
    setBusy(false)
    if (result.ok) setQty('')
    else setError(problemSentence(result.problem))
  }

  return (
    <form className="restock" onSubmit={(event) => void submit(event)}>
      <label htmlFor={id} className="restock__label">
        Add units<span className="sr-only"> to {product.title}</span>
      </label>
      <input
        id={id}
        className="restock__input"
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        value={qty}
        aria-invalid={error === null ? undefined : true}
        aria-describedby={error === null ? undefined : `${id}-error`}
        onChange={(event) => {
          setQty(event.target.value)
          setError(null) // a message about what was typed before is no longer true
        }}
        data-testid={`restock-qty-${product.sku}`}
      />
      <button
        type="submit"
        className="button button--small"
        aria-label={`Restock ${product.title}`}
        disabled={busy}
      >
        Restock
      </button>
      {error === null ? null : (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
