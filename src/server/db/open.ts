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

/**
 * Durability: WAL with `synchronous = FULL`. A write is acknowledged only after its commit is
 * fsynced, so neither a killed process nor a power cut loses an acknowledged change (NORMAL
 * would survive a killed process but may lose the last commits on power loss).
 */
export const openDb = (file: string): OpenedDb => {
  if (file !== ':memory:' && !file.startsWith('file:'))
    mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  const existing = db.prepare(`SELECT value FROM meta WHERE key = 'epoch'`).pluck().get() as
    | string
    | undefined
  if (existing !== undefined) return { db, epoch: existing, created: false }
  const epoch = randomId(12)
  db.prepare(`INSERT INTO meta (key, value) VALUES ('epoch', ?)`).run(epoch)
  return { db, epoch, created: true }
}

export const readMeta = (db: Db, key: string): string | undefined =>
  db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined

export const writeMeta = (db: Db, key: string, value: string): void => {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value)
}
