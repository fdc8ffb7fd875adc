// Two things Node and @hono/node-server keep for every open response, which an event stream keeps
// open for hours: let go of them once the stream has started. Each is a no-op when the platform
// does not have it. Found with heap snapshot diffs of 2,000 idle streams (bench/README.md); 10k
// streams are about 13 MB lighter with both.
import type { ServerResponse } from 'node:http'

/**
 * Node keeps a response's head (`_header`) for as long as the response lives, as the string it
 * built one `+` at a time: a tree of some 25 pieces, about 0.7 KB. Once the head has gone out
 * (`_headerSent`), Node reads `_header` only for whether it is there (`headersSent`, `end`,
 * `setHeader`'s refusal), so it is swapped for a one-character string. Before that, Node still
 * prepends it to the first write, so it is left alone. Returns whether it was released.
 */
export const releaseSentHead = (res: ServerResponse): boolean => {
  const state = res as unknown as { _header?: unknown; _headerSent?: unknown }
  if (state._headerSent !== true || typeof state._header !== 'string') return false
  state._header = '\n'
  return true
}

/**
 * @hono/node-server's request object caches the `Headers` it parsed the first time a header was
 * read, and its close listener keeps the request alive as long as the response: about 0.5 KB.
 * Dropping the cache is safe: the adapter parses the headers again from Node's request if anyone
 * asks later. Returns whether there was a cache to drop (tests watch the adapter with it).
 */
export const forgetParsedHeaders = (raw: Request): boolean => {
  let found = false
  for (const key of Object.getOwnPropertySymbols(raw)) {
    if (key.description !== 'headersKey') continue
    ;(raw as unknown as Record<symbol, unknown>)[key] = undefined
    found = true
  }
  return found
}
