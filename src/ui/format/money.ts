// Prices: the protocol counts cents; people read dollars.

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

/** @example `formatCents(8900) // '$89.00'` */
export const formatCents = (cents: number): string => dollars.format(cents / 100)

/**
 * Cents from what someone typed in a price field ("89", "89.5", "$89.50"); `null` when it is not
 * a price.
 */
export const parseDollars = (text: string): number | null => {
  const cleaned = text.trim().replace(/^\$/, '')
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null
  return Math.round(Number(cleaned) * 100)
}

/** The value a price field starts with: `8900 → '89.00'`. */
export const centsToField = (cents: number): string => (cents / 100).toFixed(2)
