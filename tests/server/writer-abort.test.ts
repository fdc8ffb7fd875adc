// A group whose transaction SQLite itself ends (SQLITE_FULL here; IOERR, NOMEM and BUSY do the
// same) fails as a whole: no work commits on its own outside it, and the log keeps no gap.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createProduct } from '../../src/server/commands/catalog.js'
import type { CommitRecord } from '../../src/server/commands/writer.js'
import { openWriter } from '../support/writer.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const product = (sku: string) => ({ sku, title: sku, priceCents: 100, onHand: 1 })

describe('the writer when SQLite ends the transaction', () => {
  it('commits nothing of the group, publishes nothing and leaves no hole in the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfsync-writer-'))
    dirs.push(dir)
    const published: CommitRecord[] = []
    const { db, rows, writer } = openWriter(join(dir, 'shop.db'), {
      publish: (commit) => void published.push(commit),
    })
    writer.run((tx) => createProduct(tx, product('first')))
    const head = rows.log.head()
    published.length = 0

    db.exec('CREATE TABLE ballast (data BLOB)')
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages + 8}`)
    const answers = await Promise.allSettled([
      writer.runGrouped((tx) => createProduct(tx, product('a'))),
      writer.runGrouped(() => db.prepare('INSERT INTO ballast VALUES (zeroblob(1000000))').run()),
      writer.runGrouped((tx) => createProduct(tx, product('c'))),
    ])

    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(String((answers[1] as PromiseRejectedResult).reason)).toMatch(/full/i)
    expect(db.inTransaction).toBe(false)
    expect(rows.log.head()).toBe(head)
    expect(published).toEqual([])
    const skus = db.prepare('SELECT sku FROM products ORDER BY sku').pluck().all()
    expect(skus).toEqual(['first'])

    // The writer goes on once there is room again.
    db.pragma('max_page_count = 1073741823')
    await writer.runGrouped((tx) => createProduct(tx, product('d')))
    expect(rows.log.head()).toBe(head + 1)
    db.close()
  })
})
