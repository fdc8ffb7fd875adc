// What went wrong, in words, from anything thrown or rejected.

/**
 * An error's message, followed by its cause's where it has one. Node's fetch rejects with only
 * "fetch failed" and keeps the reason in `cause` (`connect ECONNREFUSED 127.0.0.1:8787`, `other
 * side closed`); a cause with no message (an AggregateError of refused connections) gives its
 * `code`. Anything not an Error is turned into a string.
 *
 * @example
 * errorMessage(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8787') }))
 * // 'fetch failed (connect ECONNREFUSED 127.0.0.1:8787)'
 */
export const errorMessage = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err)
  const cause: unknown = err.cause
  const why =
    cause instanceof Error ? cause.message || (cause as { code?: unknown }).code : undefined
  return typeof why === 'string' && why !== '' && why !== err.message
    ? `${err.message} (${why})`
    : err.message
}
