// What each kind of optimistic command does to the view, and how to tell that the confirmed state
// already shows it. One entry per kind; the mapped type makes a new kind fail to compile until
// it has its entry.
//
// Order commands change nothing in the view: a checkout cannot show an order before the server
// has made it (id, prices, expiry), and showing an order as paid before payment went through
// would mislead. Their pending entry is what screens show instead (`selectCheckingOut`,
// `selectOrderChange`), and a refusal simply removes it.
import type { Draft } from 'immer'
import type { CommandKind, SentCommand, ShopData } from '../state.js'
import { availableOf } from '../state.js'

interface OptimisticRule<C extends SentCommand> {
  /** Shows the command's effect on a draft of the view. Absolute, so applying it twice is harmless. */
  apply(draft: Draft<ShopData>, command: C): void
  /** Whether `confirmed` already shows the command's effect. */
  shownIn(confirmed: ShopData, command: C): boolean
  /** The product the command is about, if any. */
  skuOf(command: C): string | undefined
  /** The order the command is about, if any. */
  orderIdOf(command: C): string | undefined
}

type Rules = { [K in CommandKind]: OptimisticRule<Extract<SentCommand, { kind: K }>> }

/** Sets the user's line for `sku` to `qty` (0 removes it) and moves `held` by the difference. */
const setLine = (draft: Draft<ShopData>, sku: string, qty: number): void => {
  const line = draft.cart[sku]
  const delta = qty - (line?.qty ?? 0)
  if (delta === 0) return
  const product = draft.products[sku]
  if (product) {
    product.held = Math.max(0, product.held + delta)
    product.available = availableOf(product.onHand, product.held)
  }
  if (qty === 0) delete draft.cart[sku]
  else if (line) line.qty = qty
  else draft.cart[sku] = { sku, qty, expiresAt: null }
}

const lineQty = (data: ShopData, sku: string): number => data.cart[sku]?.qty ?? 0

const nothing = (): undefined => undefined

export const OPTIMISTIC: Rules = {
  'cart/set': {
    apply: (draft, command) => setLine(draft, command.sku, command.qty),
    shownIn: (confirmed, command) => lineQty(confirmed, command.sku) === command.qty,
    skuOf: (command) => command.sku,
    orderIdOf: nothing,
  },
  'cart/remove': {
    apply: (draft, command) => setLine(draft, command.sku, 0),
    shownIn: (confirmed, command) => confirmed.cart[command.sku] === undefined,
    skuOf: (command) => command.sku,
    orderIdOf: nothing,
  },
  'order/checkout': {
    apply: nothing,
    // The new order's id is unknown until the answer; its commit always reaches this user.
    shownIn: () => false,
    skuOf: nothing,
    orderIdOf: nothing,
  },
  'order/pay': {
    apply: nothing,
    shownIn: (confirmed, command) => confirmed.orders[command.orderId]?.status === 'paid',
    skuOf: nothing,
    orderIdOf: (command) => command.orderId,
  },
  'order/cancel': {
    apply: nothing,
    shownIn: (confirmed, command) => confirmed.orders[command.orderId]?.status === 'cancelled',
    skuOf: nothing,
    orderIdOf: (command) => command.orderId,
  },
}

// TypeScript cannot narrow a table lookup by a union's tag, so these two helpers do it once.
type AnyRule = OptimisticRule<SentCommand>
const ruleOf = (command: SentCommand): AnyRule => OPTIMISTIC[command.kind] as AnyRule

export const applyOptimistic = (draft: Draft<ShopData>, command: SentCommand): void =>
  ruleOf(command).apply(draft, command)

export const shownIn = (confirmed: ShopData, command: SentCommand): boolean =>
  ruleOf(command).shownIn(confirmed, command)

export const skuOf = (command: SentCommand): string | undefined => ruleOf(command).skuOf(command)

export const orderIdOf = (command: SentCommand): string | undefined =>
  ruleOf(command).orderIdOf(command)
