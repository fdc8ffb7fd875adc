// Keeps the previous view's objects where a rebased view holds equal ones, so a selector that
// returns one product gives the same reference and React does not re-render for nothing.
import type { ShopData } from '../state.js'

const shallowEqual = (a: object, b: object): boolean => {
  if (a === b) return true
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every(
    (key) => Object.hasOwn(b, key) && Object.is(a[key as keyof object], b[key as keyof object]),
  )
}

const reuseRecord = <T extends object>(
  before: Record<string, T>,
  after: Record<string, T>,
): Record<string, T> => {
  if (before === after) return after
  let result: Record<string, T> | null = null
  for (const [key, value] of Object.entries(after)) {
    const old = before[key]
    if (old === undefined || old === value || !shallowEqual(old, value)) continue
    result ??= { ...after }
    result[key] = old
  }
  const merged = result ?? after
  return shallowEqual(before, merged) ? before : merged
}

/** `after`, with every record entry (and record) equal to the one in `before` taken from `before`. */
export const reuseEqual = (before: ShopData, after: ShopData): ShopData => {
  if (before === after) return after
  const products = reuseRecord(before.products, after.products)
  const cart = reuseRecord(before.cart, after.cart)
  const orders = reuseRecord(before.orders, after.orders)
  if (products === before.products && cart === before.cart && orders === before.orders) {
    return before
  }
  return { products, cart, orders }
}
