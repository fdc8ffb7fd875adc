// Opens the SQLite database with the settings Shelfsync relies on, migrates it and reads its epoch.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { randomId } from '../random.js'
import { migrate } from './migrations.js'

export type Db = Database.Database

export interface OpenedDb {
  db: Db
  epoch: string
  /** True when this call created the database's contents (a new epoch). */
  created: boolean
}

/** Set in a backup's meta table: the first server to open it takes a new epoch. */
export const NEW_EPOCH_FLAG = 'new_epoch_on_open'

/**
 * Opens (creating and migrating) the database. It gets a new epoch when it is new, when it is a
 * backup made by `npm run backup` opened for the first time, or when `newEpoch` is asked for (a
 * file restored by other means): clients then reset instead of trusting positions from a history
 * that this file no longer has.
 *
 * Durability: WAL with `synchronous = FULL`. A write is acknowledged only after its commit is
 * fsynced, so neither a killed process nor a power cut loses an acknowledged change (NORMAL
 * would survive a killed process but may lose the last commits on power loss).
 */
export const openDb = (file: string, options: { newEpoch?: boolean } = {}): OpenedDb => {
  if (file !== ':memory:' && !file.startsWith('file:'))
    mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  const existing = readMeta(db, 'epoch')
  const restored = readMeta(db, NEW_EPOCH_FLAG) !== undefined || options.newEpoch === true
  if (existing !== undefined && !restored) return { db, epoch: existing, created: false }
  const epoch = randomId(12)
  db.transaction(() => {
    writeMeta(db, 'epoch', epoch)
    db.prepare('DELETE FROM meta WHERE key = ?').run(NEW_EPOCH_FLAG)
  }).immediate()
  return { db, epoch, created: existing === undefined }
}

export const readMeta = (db: Db, key: string): string | undefined =>
  db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined

export const deleteMeta = (db: Db, key: string): void => {
  db.prepare('DELETE FROM meta WHERE key = ?').run(key)
}

export const writeMeta = (db: Db, key: string, value: string): void => {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value)
}
