// A test server on a real SQLite file, and byte-for-byte images of that file read through a
// separate read-only connection (the server writes in WAL mode; a second reader sees its commits).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect } from 'vitest'
import type { ShelfsyncOptions } from '../../../src/server/index.js'
import { createTestServer } from '../../support/server.js'

export const createWatchedServer = (options: ShelfsyncOptions = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfsync-security-'))
  const file = join(dir, 'shop.db')
  const server = createTestServer({ ...options, db: file })
  const reader = new Database(file, { readonly: true, fileMustExist: true })
  const image = (): Buffer => reader.serialize()

  return {
    ...server,
    file,
    /** The whole database as bytes, as of the last commit. */
    image,
    /** Runs `act` and asserts that the database is byte-for-byte what it was before. */
    async unchanged<T>(act: () => T | Promise<T>, what = 'the request'): Promise<T> {
      const before = image()
      const result = await act()
      expect(image().equals(before), `${what} changed the database`).toBe(true)
      return result
    },
    async dispose(): Promise<void> {
      reader.close()
      await server.shop.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type WatchedServer = ReturnType<typeof createWatchedServer>
