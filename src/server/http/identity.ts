// Who is asking: a bearer token or the session cookie, checked on every /api route but health
// and session. Cookie-authenticated writes must come from an allowed Origin (CSRF).
import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { SESSION_COOKIE } from '../../actions/index.js'
import { createTokenVerifier } from '../auth/tokens.js'
import type { Clock } from '../clock.js'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv, Identity } from './env.js'
import { requestOrigin } from './forwarded.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export const identify = (input: {
  secret: string
  admins: readonly string[]
  clock: Clock
  allowedOrigins: readonly string[]
}): MiddlewareHandler<AppEnv> => {
  const admins = new Set(input.admins)
  const verify = createTokenVerifier(input.secret)
  return async (c, next) => {
    const header = c.req.header('authorization')
    let token: string | undefined
    let via: Identity['via'] = 'bearer'
    if (header !== undefined) {
      // The scheme name is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` are `Bearer`.
      const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim())
      if (!match)
        throw new ShelfsyncError('auth/invalid', 'Authorization must be "Bearer <token>".')
      token = match[1]
    } else {
      token = getCookie(c, SESSION_COOKIE)
      via = 'cookie'
    }
    if (!token)
      throw new ShelfsyncError(
        'auth/required',
        'Sign in first: send a bearer token or the session cookie.',
      )
    // Tokens of changes are remembered (a customer's commands come one after another); a read or
    // an event stream checks its token once, and remembering it would only cost memory per stream.
    const claims = verify(token, input.clock.now(), !SAFE_METHODS.has(c.req.method))
    if (via === 'cookie' && !SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin')
      if (!origin || (origin !== requestOrigin(c) && !input.allowedOrigins.includes(origin))) {
        throw new ShelfsyncError(
          'auth/origin',
          'A change made with the session cookie must come from this site (Origin check).',
        )
      }
    }
    c.set('identity', {
      user: claims.user,
      role: admins.has(claims.user) ? 'admin' : 'customer',
      expiresAt: claims.expiresAt,
      via,
    })
    await next()
  }
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('identity').role !== 'admin') {
    throw new ShelfsyncError('auth/forbidden', 'Only an admin may change the catalog.')
  }
  await next()
}
