// The token secret: from SHELFSYNC_SECRET, or made once and kept in the database's meta table,
// one for demo mode and another without it. A token signed in demo mode (where anyone signs in as
// anyone, admin included) must not open the same database once demo mode is off.
import { randomBytes } from 'node:crypto'
import { type Db, deleteMeta, readMeta, writeMeta } from '../db/open.js'

/** Where each mode keeps the secret it made. */
export const SECRET_KEYS = { demo: 'demo_secret', own: 'own_secret' } as const

/**
 * Kept by earlier versions in either mode: which one made it cannot be told, so it is dropped (its
 * tokens, 12 hours at most, are refused; users sign in again).
 */
const LEGACY_KEY = 'secret'

export const resolveSecret = (db: Db, configured: string | undefined, demo: boolean): string => {
  deleteMeta(db, LEGACY_KEY)
  if (configured) return configured
  const key = demo ? SECRET_KEYS.demo : SECRET_KEYS.own
  const kept = readMeta(db, key)
  if (kept) return kept
  const made = randomBytes(32).toString('base64url')
  writeMeta(db, key, made)
  return made
}
