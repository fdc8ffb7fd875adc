// Where a request came from before a reverse proxy: the scheme and host the browser used. A proxy
// that terminates TLS says so in `X-Forwarded-Proto`; one that rewrites `Host` (nginx's default
// `proxy_set_header Host $proxy_host`) keeps the original in `X-Forwarded-Host`. Each proxy on
// the way appends its own value, so the first one is what the browser's side saw.
//
// Trusting them cannot open a CSRF hole: a page on another site cannot make the browser send
// them (a custom header needs a CORS preflight, which fails unless the site is allowed).
import type { Context } from 'hono'

const first = (value: string | undefined): string | undefined =>
  value?.split(',')[0]?.trim() || undefined

/** The scheme the browser used, without `:` (`https`, `http`). */
export const forwardedProto = (c: Context): string =>
  first(c.req.header('x-forwarded-proto'))?.toLowerCase() ??
  new URL(c.req.url).protocol.replace(':', '')

/**
 * The request's own origin, as the browser would write it in `Origin`.
 *
 * @example
 * // behind a proxy: Host: 127.0.0.1:8787, X-Forwarded-Host: shop.example, X-Forwarded-Proto: https
 * requestOrigin(c) // 'https://shop.example'
 */
export const requestOrigin = (c: Context): string => {
  const host =
    first(c.req.header('x-forwarded-host')) ?? c.req.header('host') ?? new URL(c.req.url).host
  const origin = `${forwardedProto(c)}://${host}`
  // As a browser serializes it: host in lower case, no default port (`Shop.Example:443`).
  try {
    return new URL(origin).origin
  } catch {
    return origin
  }
}
