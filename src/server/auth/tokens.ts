// HS256 JSON Web Tokens: what `POST /api/session` hands out and what a host app signs.
// The header must say exactly HS256 (no alg swapping); signatures compare in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { NAME_PATTERN } from '../../actions/index.js'
import { ShelfsyncError } from '../errors.js'

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')

export interface TokenClaims {
  /** The user name. */
  user: string
  /** Expiry, ms since the Unix epoch. */
  expiresAt: number
}

const mac = (secret: string, data: string): Buffer =>
  createHmac('sha256', secret).update(data).digest()

/** The shortest secret a server or `signToken` takes: a shorter HMAC key can be guessed offline. */
export const MIN_SECRET_LENGTH = 16

/** Throws a TypeError naming `who` unless `secret` is a string of `MIN_SECRET_LENGTH` or more. */
export const checkSecret = (who: string, secret: unknown): void => {
  if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) return
  const got = typeof secret === 'string' ? `${secret.length} characters` : String(secret)
  throw new TypeError(
    `${who}: the secret must be a string of at least ${MIN_SECRET_LENGTH} characters (the server's SHELFSYNC_SECRET), got ${got}.`,
  )
}

const checkMs = (name: string, value: unknown, rule: string, ok: (ms: number) => boolean): void => {
  if (value === undefined || (typeof value === 'number' && Number.isFinite(value) && ok(value))) {
    return
  }
  throw new TypeError(`signToken: ${name} must be ${rule}, got ${JSON.stringify(value)}.`)
}

/**
 * Signs a token for `user` that a Shelfsync server with the same secret accepts, for `ttlMs`
 * (default 12 hours) from `now` (default `Date.now()`).
 * @example
 * const token = signToken(process.env.SHELFSYNC_SECRET!, { user: 'alice', ttlMs: 3_600_000 })
 * fetch('/api/snapshot', { headers: { Authorization: `Bearer ${token}` } })
 */
export const signToken = (
  secret: string,
  input: { user: string; ttlMs?: number; now?: number },
): string => {
  checkSecret('signToken', secret)
  const user: unknown = typeof input === 'object' && input !== null ? input.user : input
  if (typeof input !== 'object' || typeof user !== 'string' || !NAME_PATTERN.test(user)) {
    throw new TypeError(
      `signToken: pass { user }, where user is 1 to 64 characters of [A-Za-z0-9_.-]; got ${JSON.stringify(user)}.`,
    )
  }
  checkMs('ttlMs', input.ttlMs, 'a number of ms above 0', (ms) => ms > 0)
  checkMs('now', input.now, 'a time in ms since 1970', (ms) => ms >= 0)
  const now = input.now ?? Date.now()
  const iat = Math.floor(now / 1000)
  const exp = Math.floor((now + (input.ttlMs ?? 12 * 3_600_000)) / 1000)
  const payload = Buffer.from(JSON.stringify({ sub: user, iat, exp })).toString('base64url')
  const signature = mac(secret, `${HEADER}.${payload}`).toString('base64url')
  return `${HEADER}.${payload}.${signature}`
}

const invalid = () => new ShelfsyncError('auth/invalid', 'The token is not valid.')
const expired = () => new ShelfsyncError('auth/expired', 'The session has expired; sign in again.')

const decodeJson = (part: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid()
    return value as Record<string, unknown>
  } catch {
    throw invalid()
  }
}

/**
 * Checks a token's form, algorithm, signature and expiry at `now` (default `Date.now()`); throws
 * `auth/invalid` or `auth/expired` (a `ShelfsyncError`), or a TypeError for a bad secret.
 */
export const verifyToken = (
  secret: string,
  token: string,
  now: number = Date.now(),
): TokenClaims => {
  checkSecret('verifyToken', secret)
  if (typeof token !== 'string') throw invalid()
  const parts = token.split('.')
  if (parts.length !== 3 || token.length > 4096) throw invalid()
  const [header, payload, signature] = parts as [string, string, string]
  const head = decodeJson(header)
  if (head.alg !== 'HS256' || (head.typ !== undefined && head.typ !== 'JWT')) throw invalid()
  // Compared as text: decoding first would skip characters outside base64url and ignore the last
  // character's spare bits, so many strings would pass for one genuine signature.
  const expected = Buffer.from(mac(secret, `${header}.${payload}`).toString('base64url'))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid()
  const claims = decodeJson(payload)
  const { sub, exp } = claims
  if (typeof sub !== 'string' || !NAME_PATTERN.test(sub)) throw invalid()
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid()
  if (exp * 1000 <= now) throw expired()
  return { user: sub, expiresAt: exp * 1000 }
}

/**
 * `verifyToken` with a memory of the tokens it accepted, so a client sending the same token with
 * every command costs one HMAC, not one per command (about a fifteenth of a cart hold's CPU).
 * Only tokens whose signature checked out are kept, and only when the caller asks (`remember`),
 * at most `max` of them (the oldest go first); expiry is still judged on every call.
 *
 * @example
 * const verify = createTokenVerifier(secret)
 * const { user } = verify(token, Date.now(), true)
 */
export const createTokenVerifier = (secret: string, max = 10_000) => {
  const accepted = new Map<string, TokenClaims>()
  return (token: string, now: number, remember: boolean): TokenClaims => {
    const known = accepted.get(token)
    if (known === undefined) {
      const claims = verifyToken(secret, token, now)
      if (remember) {
        if (accepted.size >= max) accepted.delete(accepted.keys().next().value as string)
        accepted.set(token, claims)
      }
      return claims
    }
    if (known.expiresAt <= now) {
      accepted.delete(token)
      throw expired()
    }
    return known
  }
}
