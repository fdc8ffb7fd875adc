// Rows of the carts: each line is a hold of `qty` units until `expires_at`.
import type { CartLine } from '../../actions/index.js'
import type { Db } from './open.js'

export interface HeldLine extends CartLine {
  user: string
}

const COLUMNS = 'user, sku, qty, expires_at AS expiresAt'

export const createCartRows = (db: Db) => {
  const getStmt = db.prepare(`SELECT ${COLUMNS} FROM cart_lines WHERE user = ? AND sku = ?`)
  const byUserStmt = db.prepare(
    'SELECT sku, qty, expires_at AS expiresAt FROM cart_lines WHERE user = ? ORDER BY sku',
  )
  const bySkuStmt = db.prepare(`SELECT ${COLUMNS} FROM cart_lines WHERE sku = ? ORDER BY user`)
  const lapsedStmt = db.prepare(
    `SELECT ${COLUMNS} FROM cart_lines WHERE expires_at <= ? ORDER BY expires_at, user, sku`,
  )
  const totalsStmt = db.prepare(
    'SELECT count(*) AS lines, coalesce(sum(qty), 0) AS units FROM cart_lines WHERE user = ?',
  )
  const nextExpiryStmt = db.prepare('SELECT min(expires_at) FROM cart_lines').pluck()
  const upsertStmt = db.prepare(
    `INSERT INTO cart_lines (user, sku, qty, expires_at) VALUES (@user, @sku, @qty, @expiresAt)
     ON CONFLICT (user, sku) DO UPDATE SET qty = excluded.qty, expires_at = excluded.expires_at`,
  )
  const deleteStmt = db.prepare('DELETE FROM cart_lines WHERE user = ? AND sku = ?')

  return {
    get: (user: string, sku: string) => getStmt.get(user, sku) as HeldLine | undefined,
    ofUser: (user: string) => byUserStmt.all(user) as CartLine[],
    ofSku: (sku: string) => bySkuStmt.all(sku) as HeldLine[],
    lapsed: (now: number) => lapsedStmt.all(now) as HeldLine[],
    totals: (user: string) => totalsStmt.get(user) as { lines: number; units: number },
    nextExpiry: () => nextExpiryStmt.get() as number | null,
    put: (line: HeldLine) => void upsertStmt.run(line),
    delete: (user: string, sku: string) => void deleteStmt.run(user, sku),
  }
}

export type CartRows = ReturnType<typeof createCartRows>
