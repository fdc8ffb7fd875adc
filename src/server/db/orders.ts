// Rows of the orders and their lines.
import type { Order, OrderLine, OrderStatus } from '../../actions/index.js'
import type { Db } from './open.js'

export interface OrderRow extends Order {
  user: string
}

interface OrderHead {
  id: string
  user: string
  status: OrderStatus
  totalCents: number
  expiresAt: number
}

const COLUMNS = 'id, user, status, total_cents AS totalCents, expires_at AS expiresAt'

export const createOrderRows = (db: Db) => {
  const getStmt = db.prepare(`SELECT ${COLUMNS} FROM orders WHERE id = ?`)
  const byUserStmt = db.prepare(`SELECT ${COLUMNS} FROM orders WHERE user = ? ORDER BY seq, id`)
  // A user's orders' lines in one query: the snapshot of a long order history (the contract sends
  // every order of the caller) is one index walk, not a query per order.
  const linesOfUserStmt = db.prepare(
    `SELECT l.order_id AS orderId, l.sku, l.qty, l.price_cents AS priceCents
     FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.user = ? ORDER BY l.order_id, l.sku`,
  )
  const linesStmt = db.prepare(
    'SELECT sku, qty, price_cents AS priceCents FROM order_lines WHERE order_id = ? ORDER BY sku',
  )
  const lapsedStmt = db.prepare(
    `SELECT ${COLUMNS} FROM orders WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at, id`,
  )
  const nextExpiryStmt = db
    .prepare(`SELECT min(expires_at) FROM orders WHERE status = 'pending'`)
    .pluck()
  const pendingWithStmt = db.prepare(
    `SELECT ${COLUMNS} FROM orders WHERE status = 'pending'
     AND id IN (SELECT order_id FROM order_lines WHERE sku = ?) ORDER BY seq, id`,
  )
  const pendingUnitsOfUserStmt = db
    .prepare(
      `SELECT coalesce(sum(l.qty), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
       WHERE o.user = ? AND o.status = 'pending'`,
    )
    .pluck()
  const insertStmt = db.prepare(
    `INSERT INTO orders (id, user, status, total_cents, created_at, expires_at, seq)
     VALUES (@id, @user, @status, @totalCents, @createdAt, @expiresAt, @seq)`,
  )
  const insertLineStmt = db.prepare(
    'INSERT INTO order_lines (order_id, sku, qty, price_cents) VALUES (?, ?, ?, ?)',
  )
  const statusStmt = db.prepare('UPDATE orders SET status = ? WHERE id = ?')

  const withLines = (head: OrderHead): OrderRow => ({
    ...head,
    lines: linesStmt.all(head.id) as OrderLine[],
  })

  return {
    get(id: string): OrderRow | undefined {
      const head = getStmt.get(id) as OrderHead | undefined
      return head && withLines(head)
    },
    ofUser(user: string): OrderRow[] {
      const lines = new Map<string, OrderLine[]>()
      for (const { orderId, ...line } of linesOfUserStmt.all(user) as Array<
        OrderLine & { orderId: string }
      >) {
        const list = lines.get(orderId)
        if (list === undefined) lines.set(orderId, [line])
        else list.push(line)
      }
      return (byUserStmt.all(user) as OrderHead[]).map((head) => ({
        ...head,
        lines: lines.get(head.id) ?? [],
      }))
    },
    lapsed: (now: number) => (lapsedStmt.all(now) as OrderHead[]).map(withLines),
    nextExpiry: () => nextExpiryStmt.get() as number | null,
    /** Pending orders with a line of `sku`. */
    pendingWith: (sku: string) => (pendingWithStmt.all(sku) as OrderHead[]).map(withLines),
    /** Units `user`'s pending orders still hold (they count against the held-units limit). */
    pendingUnitsOf: (user: string) => pendingUnitsOfUserStmt.get(user) as number,
    insert(order: OrderRow, createdAt: number, seq: number): void {
      const { lines, ...head } = order
      insertStmt.run({ ...head, createdAt, seq })
      for (const line of lines) insertLineStmt.run(order.id, line.sku, line.qty, line.priceCents)
    },
    setStatus: (id: string, status: OrderStatus) => void statusStmt.run(status, id),
  }
}

export type OrderRows = ReturnType<typeof createOrderRows>

/** An order as the protocol shows it (without its owner). */
export const publicOrder = ({ user: _user, ...order }: OrderRow): Order => order
