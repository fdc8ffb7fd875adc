// Turns the cart into a pending order (issue 5). The store says while the checkout is under way;
// a refusal comes back as a notice like any other command's.
import type { ReactNode } from 'react'
import { selectCheckingOut, selectHasPending } from '../../store/index.js'
import { useShop, useShopClient } from '../../store/react.js'

export const CheckoutButton = (): ReactNode => {
  const client = useShopClient()
  const checkingOut = useShop(selectCheckingOut)
  // A cart change still on its way would race the checkout; wait for it.
  const waiting = useShop(selectHasPending)
  return (
    <button
      type="button"
      className="button button--primary cart__checkout"
      disabled={waiting}
      aria-busy={checkingOut}
      onClick={() => void client.checkout()}
    >
      {checkingOut ? 'Checking out…' : 'Check out'}
    </button>
  )
}
