// An edit that lost a race: the server's 412 `product/version-mismatch` carries the product as it
// is now (docs/protocol-notes.md), so the editor can show the newer values and retry on them.
import type { Problem, Product } from '../../store/index.js'

const isProduct = (value: unknown): value is Product => {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Record<string, unknown>
  return (
    typeof p.sku === 'string' &&
    typeof p.title === 'string' &&
    typeof p.priceCents === 'number' &&
    typeof p.onHand === 'number' &&
    typeof p.version === 'number'
  )
}

/**
 * The newer product of a lost race; `fallback` (the store's copy) when the problem does not carry one.
 * `null` when the problem is not a version mismatch.
 */
export const newerProductOf = (problem: Problem, fallback: Product | undefined): Product | null => {
  if (problem.code !== 'product/version-mismatch') return null
  if (isProduct(problem.product)) return problem.product
  return fallback ?? null
}
