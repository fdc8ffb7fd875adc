// Deletes a product after a second, explicit click; its holds are released by the server, and the
// question says what that does to customers when some are held. The question starts on Keep, the
// safe answer, so that a second Enter does not delete; Escape answers Keep too.
import type { ReactNode } from 'react'
import { useId, useLayoutEffect, useRef, useState } from 'react'
import type { ProductView } from '../../store/index.js'
import { problemSentence } from '../../store/index.js'
import { useShopClient } from '../../store/react.js'

export const DeleteProductButton = ({ product }: { product: ProductView }): ReactNode => {
  const client = useShopClient()
  const [asking, setAsking] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const warningId = useId()
  const keepRef = useRef<HTMLButtonElement>(null)
  const deleteRef = useRef<HTMLButtonElement>(null)
  // The focus follows the swap: to Keep when asked, back to Delete after Keep or a refusal (a
  // layout effect, so it lands before the row's own keep-focus looks).
  const answered = useRef(false)
  useLayoutEffect(() => {
    if (asking) keepRef.current?.focus()
    else if (answered.current) deleteRef.current?.focus()
    answered.current = asking
  }, [asking])

  const remove = async (): Promise<void> => {
    setError(null)
    setBusy(true)
    const result = await client.deleteProduct(product.sku)
    setBusy(false)
    if (!result.ok) {
      setAsking(false)
      setError(problemSentence(result.problem))
    }
  }

  return (
    <span className="delete">
      {asking ? (
        // The question as a group, so Escape from either answer lands here.
        <fieldset
          className="delete__question"
          onKeyDown={(event) => {
            if (event.key === 'Escape') setAsking(false)
          }}
        >
          <legend className="sr-only">Delete {product.title}?</legend>
          {product.held > 0 ? (
            <span className="delete__warning" id={warningId}>
              {product.held} held: carts lose it, and pending orders with it are cancelled.
            </span>
          ) : null}
          <button
            type="button"
            className="button button--danger button--small"
            aria-label={`Yes, delete ${product.title}`}
            aria-describedby={product.held > 0 ? warningId : undefined}
            disabled={busy}
            onClick={() => void remove()}
          >
            Yes, delete
          </button>
          <button
            ref={keepRef}
            type="button"
            className="button button--quiet button--small"
            aria-label={`Keep ${product.title}`}
            aria-describedby={product.held > 0 ? warningId : undefined}
            onClick={() => setAsking(false)}
          >
            Keep
          </button>
        </fieldset>
      ) : (
        <button
          ref={deleteRef}
          type="button"
          className="button button--quiet button--small"
          aria-label={`Delete ${product.title}`}
          onClick={() => setAsking(true)}
        >
          Delete
        </button>
      )}
      {error === null ? null : (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </span>
  )
}
