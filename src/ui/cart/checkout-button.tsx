// Turns the cart into a pending order (issue 5). The store says while the checkout is under way;
// a refusal comes back as a notice like any other command's.
import type { ReactNode } from 'react'
import { useId } from 'react'
import { selectCheckingOut, selectHasPending } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'

export const CheckoutButton = (): ReactNode => {
  const client = useShopClient()
  const id = useId()
  const checkingOut = useShop(selectCheckingOut)
  // A cart change still on its way would race the checkout; wait for it, and say so.
  const waiting = useShop(selectHasPending)
  const why = waiting && !checkingOut
  return (
    <>
      <button
        type="button"
        className="button button--primary cart__checkout"
        disabled={waiting}
        aria-busy={checkingOut}
        aria-describedby={why ? id : undefined}
        onClick={() => void client.checkout()}
      >
        {checkingOut ? 'Checking out…' : 'Check out'}
      </button>
      {why ? (
        <p id={id} className="hint" data-testid="checkout-waiting">
          Waiting for the shop to confirm your last change…
        </p>
      ) : null}
    </>
  )
}
