// What a screen reader hears after the user's own changes, which otherwise change only the
// focused control's name (many screen readers do not read that out): a product added to or
// removed from the cart by a command of this client (shown before the server answers), an order
// placed, paid or cancelled. A cart line that changes without one (a hold that ran out, a refusal
// rolled back, a snapshot after a reconnect) is not said, nor is an order that expired or that the
// shop cancelled: a notice says those. A first view or another user's view says nothing.
import type { ShopState } from '../../store/index.js'
import { selectIsPending } from '../../store/index.js'
import { orderName } from '../orders/order-name.js'

const titleOf = (before: ShopState, after: ShopState, sku: string): string =>
  after.view.products[sku]?.title ?? before.view.products[sku]?.title ?? sku

/** The sentences for the change from `before` to `after`, or null when there is nothing to say. */
export const announcementOf = (before: ShopState, after: ShopState): string | null => {
  const sameView =
    before.position !== null &&
    before.position.epoch === after.position?.epoch &&
    before.session?.user === after.session?.user
  if (!sameView || before.view === after.view) return null
  const noticed = Object.keys(after.notices).some((id) => before.notices[id] === undefined)
  const said: string[] = []

  let placed = false
  for (const order of Object.values(after.view.orders)) {
    const was = before.view.orders[order.id]
    if (was === undefined) {
      placed = true
      if (order.status === 'pending')
        said.push(`Your ${orderName(order)} is placed and waits for payment.`)
    } else if (was.status === 'pending' && order.status === 'paid') {
      said.push(`Your ${orderName(order)} is paid.`)
    } else if (was.status === 'pending' && order.status === 'cancelled' && !noticed) {
      said.push(`Your ${orderName(order)} is cancelled.`)
    }
  }
  const mine = (sku: string): boolean => selectIsPending(sku)(after)
  for (const sku of Object.keys(after.view.cart)) {
    if (before.view.cart[sku] === undefined && mine(sku)) {
      said.push(`${titleOf(before, after, sku)} added to your cart.`)
    }
  }
  // A checkout empties the cart into the order just named.
  if (!placed) {
    for (const sku of Object.keys(before.view.cart)) {
      if (after.view.cart[sku] === undefined && mine(sku)) {
        said.push(`${titleOf(before, after, sku)} removed from your cart.`)
      }
    }
  }
  return said.length === 0 ? null : said.join(' ')
}
