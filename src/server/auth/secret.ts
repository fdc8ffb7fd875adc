// The token secret: from SHELFSYNC_SECRET, or made once and kept in the database's meta table.
import { randomBytes } from 'node:crypto'
import { type Db, readMeta, writeMeta } from '../db/open.js'

export const resolveSecret = (db: Db, configured: string | undefined): string => {
  if (configured) return configured
  const kept = readMeta(db, 'secret')
  if (kept) return kept
  const made = randomBytes(32).toString('base64url')
  writeMeta(db, 'secret', made)
  return made
}
