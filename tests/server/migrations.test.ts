// Schema migrations: a database made by an older Shelfsync is brought up to date in place, keeping
// its rows; one made by a newer Shelfsync is refused rather than misread.
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../src/server/db/migrations.js'

let db: Database.Database
afterEach(() => db?.close())

/** A database as the Shelfsync of schema `version` left it. */
const databaseAt = (version: number): Database.Database => {
  const opened = new Database(':memory:')
  for (const step of MIGRATIONS.slice(0, version)) opened.exec(step)
  opened.pragma(`user_version = ${version}`)
  return opened
}

describe('migrate', () => {
  it('makes a new database at the newest schema', () => {
    db = new Database(':memory:')
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION })
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION })
  })

  it('keeps the idempotency keys of schema 2 and gives them no stored headers', () => {
    db = databaseAt(2)
    db.prepare(
      `INSERT INTO idempotency_keys (user, key, fingerprint, status, body, created_at)
       VALUES ('ann', 'k-1', 'fp', 200, '{"seq":4}', 1)`,
    ).run()
    expect(migrate(db)).toEqual({ from: 2, to: SCHEMA_VERSION })
    expect(
      db.prepare('SELECT user, key, status, body, headers FROM idempotency_keys').all(),
    ).toEqual([{ user: 'ann', key: 'k-1', status: 200, body: '{"seq":4}', headers: '{}' }])
  })

  it('refuses a database from a newer Shelfsync and leaves it as it is', () => {
    db = new Database(':memory:')
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    expect(() => migrate(db)).toThrow(/newer than this server knows/)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1)
  })
})
