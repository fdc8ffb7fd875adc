// A service that keeps its own SQLite copy of the shop's stock current, the "other service" of
// the brief. It follows the stream with the SDK's sync connection and writes every event to its
// table (table.ts) in one transaction with the position.
//
// Why the sync connection and not the store: the store exists for screens (a view with optimistic
// commands, notices, countdowns) and holds the whole shop in memory. A mirror needs only the
// confirmed events, one at a time and in order, and must save the position in the same
// transaction as the rows. The connection's handlers give exactly that, and its `getPosition` is
// read from the mirror's own table at every (re)connect, so a restarted mirror resumes where its
// table is: no seeding of a store, no second copy, nothing lost between a write and its position.
// Reconnects, backoff, `retry:`, the watchdog and snapshot resets are the SDK's, unchanged.
import Database from 'better-sqlite3'
import { parsePosition } from '../../src/actions/index.js'
import type {
  ConnectionInfo,
  SnapshotReason,
  SyncConnection,
  SyncOptions,
} from '../../src/store/index.js'
import { createSyncConnection } from '../../src/store/index.js'
import { createStockTable, type StockRow } from './table.js'

export interface StockMirrorOptions {
  /** Origin of the Shelfsync server, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string
  /**
   * A token for the mirror's own user (any role: stock actions are public), or a function that
   * gives a valid one now (asked at every reconnect), for a mirror that outlives its tokens.
   */
  token: string | (() => string)
  /** The mirror's SQLite file. */
  file: string
  /** Passed to the sync connection (heartbeat, backoff, random, timers, fetch). */
  sync?: Omit<SyncOptions, 'baseUrl' | 'getPosition' | 'token'>
  /** Every change of the connection's status. */
  onStatus?: (info: ConnectionInfo) => void
}

export interface StockMirror {
  start(): void
  /** Stops following; the table keeps its rows and position. */
  stop(): void
  /** Stops and closes the database. */
  close(): void
  rows(): StockRow[]
  position(): string | null
  readonly connection: SyncConnection
  /** What this run received: snapshot reasons and the number of commits applied. */
  readonly received: { snapshots: SnapshotReason[]; commits: number }
}

/**
 * Creates a mirror of the stock at `options.baseUrl` into `options.file`. Nothing happens until
 * `start()`; after a restart it continues from the position saved in the file.
 *
 * @example
 * ```ts
 * const mirror = createStockMirror({ baseUrl: 'http://127.0.0.1:8787', token, file: 'stock.db' })
 * mirror.start()
 * // SELECT sku, available FROM stock WHERE available = 0
 * ```
 */
export const createStockMirror = (options: StockMirrorOptions): StockMirror => {
  const db = new Database(options.file)
  const table = createStockTable(db)
  const received: StockMirror['received'] = { snapshots: [], commits: 0 }
  const position = (): string | null => {
    const at = table.position()
    return at === null ? null : `${at.epoch}:${at.seq}`
  }

  const connection = createSyncConnection(
    {
      onSnapshot(data) {
        table.applySnapshot(data)
        received.snapshots.push(data.reason)
      },
      onCommit(commit, id) {
        const at = parsePosition(id)
        if (at === null) throw new Error(`stock mirror: the commit id "${id}" is not a position`)
        table.applyCommit(commit, at)
        received.commits += 1
      },
      onStatus: (info) => options.onStatus?.(info),
    },
    { ...options.sync, baseUrl: options.baseUrl, token: options.token, getPosition: position },
  )

  return {
    start: () => connection.start(),
    stop: () => connection.stop(),
    close() {
      connection.stop()
      db.close()
    },
    rows: () => table.rows(),
    position,
    connection,
    received,
  }
}
