// Security headers on every answer: no sniffing, no framing, and a strict CSP for the app.
import type { MiddlewareHandler } from 'hono'

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ')

/**
 * Sets the headers before the route runs, so every answer made through the context (`c.body`,
 * `c.json`, `c.text`, serveStatic, the error handler) is built with them. Adding them to a
 * finished answer instead would make @hono/node-server turn it into a full web Response with a
 * stream body: about a seventh of a cart hold's CPU (bench/commands). So routes answer through
 * the context, never with a bare `new Response`.
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Referrer-Policy', 'no-referrer')
  c.header('X-Frame-Options', 'DENY')
  if (!c.req.path.startsWith('/api/')) c.header('Content-Security-Policy', CSP)
  await next()
}
