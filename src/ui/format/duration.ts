// Time left on a hold or an order, as a countdown reads: "14:05", "1:02:03".

const two = (n: number): string => String(n).padStart(2, '0')

/**
 * `ms` as m:ss (or h:mm:ss) in whole seconds, rounded down so that a hold never seems to last
 * longer than it does.
 *
 * @example `formatRemaining(899_600) // '14:59'`
 */
export const formatRemaining = (ms: number): string => {
  const total = Math.max(0, Math.floor(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`
}
