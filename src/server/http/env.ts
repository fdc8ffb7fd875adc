// The Hono environment of Shelfsync's routes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Role } from '../../actions/index.js'

export interface Identity {
  user: string
  role: Role
  /** When the token expires (ms). */
  expiresAt: number
  /** How the token came: a cookie must pass the Origin check on state-changing requests. */
  via: 'bearer' | 'cookie'
}

export interface AppEnv {
  /** Present under @hono/node-server; absent under `app.request()`. */
  Bindings: { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined
  Variables: {
    identity: Identity
    /** The request body as text, read once by `readBody` (every method but GET, HEAD, OPTIONS). */
    body: string | undefined
  }
}
