// The mirror's own SQLite tables: one row of stock per product, and the stream position the rows
// are at. Each stream event is applied in ONE transaction together with its position, so after a
// crash the rows and the position always agree, and the mirror resumes exactly where it was.
//
// Version checks make every write safe to repeat: a row changes only when the incoming `version`
// is newer than the one it holds, so a doubled or replayed commit changes nothing.
import type Database from 'better-sqlite3'
import type { Commit, Position, Product, SnapshotEventData } from '../../src/store/index.js'

/** One row of the mirror. */
export interface StockRow {
  sku: string
  title: string
  priceCents: number
  onHand: number
  held: number
  available: number
  version: number
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS stock (
    sku         TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    on_hand     INTEGER NOT NULL,
    held        INTEGER NOT NULL,
    available   INTEGER NOT NULL,
    version     INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS stock_position (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    seq   INTEGER NOT NULL
  ) STRICT;
`

const available = (onHand: number, held: number): number => Math.max(0, onHand - held)

/**
 * Opens (and creates if needed) the mirror's tables in `db`.
 *
 * @example
 * ```ts
 * const table = createStockTable(new Database('stock.db'))
 * table.applySnapshot(snapshot) // a snapshot event: the whole stock at its position
 * table.applyCommit(commit, { epoch: 'k3v9q2xw7m4d', seq: 1042 }) // parsePosition(event id)
 * table.rows() // [{ sku: 'tee', onHand: 4, held: 1, available: 3, version: 9, ... }]
 * ```
 */
export const createStockTable = (db: Database.Database) => {
  db.pragma('journal_mode = WAL')
  db.exec(SCHEMA)

  const upsert = db.prepare(
    `INSERT INTO stock (sku, title, price_cents, on_hand, held, available, version)
     VALUES (@sku, @title, @priceCents, @onHand, @held, @available, @version)
     ON CONFLICT (sku) DO UPDATE SET
       title = excluded.title, price_cents = excluded.price_cents, on_hand = excluded.on_hand,
       held = excluded.held, available = excluded.available, version = excluded.version
     WHERE excluded.version > stock.version`,
  )
  const changeStock = db.prepare(
    `UPDATE stock SET on_hand = @onHand, held = @held, available = @available, version = @version
     WHERE sku = @sku AND version < @version`,
  )
  const remove = db.prepare('DELETE FROM stock WHERE sku = ? AND version < ?')
  const removeAll = db.prepare('DELETE FROM stock')
  const readPosition = db.prepare('SELECT epoch, seq FROM stock_position WHERE id = 1')
  const writePosition = db.prepare(
    `INSERT INTO stock_position (id, epoch, seq) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq`,
  )
  const readRows = db.prepare(
    `SELECT sku, title, price_cents AS priceCents, on_hand AS onHand, held, available, version
     FROM stock ORDER BY sku`,
  )

  const putProduct = (product: Product): void => {
    upsert.run({ ...product, available: available(product.onHand, product.held) })
  }

  const position = (): Position | null => (readPosition.get() as Position | undefined) ?? null

  /**
   * A snapshot event: the whole stock at its position, so the table becomes exactly that. Not
   * merged by version: a snapshot may be older than the table (`ahead`: the database was restored
   * from a copy and its log ends before the table's position), and versions of another database
   * (`unknown-epoch`) cannot be compared at all; either way a row kept for its higher version
   * would outlive the product, or hold figures the server no longer has, for good.
   */
  const applySnapshot = db.transaction((snapshot: SnapshotEventData): void => {
    removeAll.run()
    for (const product of snapshot.products) putProduct(product)
    writePosition.run(snapshot.epoch, snapshot.seq)
  })

  /** A commit event at position `at`; other users' actions never reach this service. */
  const applyCommit = db.transaction((commit: Commit, at: Position): void => {
    const held = position()
    if (held === null || held.epoch !== at.epoch) {
      // The server starts a stream of another epoch with a snapshot, never with a commit.
      throw new Error(
        `stock mirror: a commit at ${at.epoch}:${at.seq} while the table is at ` +
          `${held === null ? 'no position' : `${held.epoch}:${held.seq}`}; a snapshot must come first.`,
      )
    }
    if (commit.seq <= held.seq) return
    for (const action of commit.actions) {
      if (action.type === 'product/upserted') putProduct(action.payload)
      else if (action.type === 'stock/changed') {
        const { onHand, held: units } = action.payload
        changeStock.run({ ...action.payload, available: available(onHand, units) })
      } else if (action.type === 'product/removed') {
        remove.run(action.payload.sku, action.payload.version)
      }
    }
    writePosition.run(at.epoch, commit.seq)
  })

  return {
    applySnapshot,
    applyCommit,
    position,
    rows: (): StockRow[] => readRows.all() as StockRow[],
  }
}

export type StockTable = ReturnType<typeof createStockTable>
