// A database restored from a backup is an older history: it gets a new epoch, so clients reset
// with a snapshot instead of resuming from positions it no longer has.
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { backupDb } from '../../src/server/backup.js'
import { openedStream } from '../support/events.js'
import { createProduct, createTestServer } from '../support/server.js'

const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'shelfsync-backup-')), name)

describe('backups', () => {
  it('restore to a new epoch, once, and old positions then get an unknown-epoch snapshot', async () => {
    const live = tempFile('live.db')
    const copy = tempFile('copy.db')
    const first = createTestServer({ db: live })
    await createProduct(first.as('admin'), 'lamp', 2)
    const reports: number[][] = []
    const { pages } = await backupDb(live, copy, (done, total) => reports.push([done, total]))
    // Online, while the server runs; it says how many pages it copied, and reported before.
    expect(pages).toBeGreaterThan(0)
    expect(statSync(copy).size).toBeGreaterThanOrEqual(pages * 1024)
    expect(reports[0]).toEqual([0, pages])
    await first.as('admin').post('/api/products/lamp/restock', { qty: 5 })
    const oldPosition = `${first.shop.epoch}:${(await first.as('admin').get('/api/health')).body.seq}`
    await first.shop.close()

    const restored = createTestServer({ db: copy })
    expect(restored.shop.epoch).not.toBe(first.shop.epoch)
    const snapshot = await restored.as('ann').get('/api/snapshot')
    expect(snapshot.body.products).toEqual([expect.objectContaining({ sku: 'lamp', onHand: 2 })])
    const stream = await openedStream(
      await restored.as('ann').events('', { 'Last-Event-ID': oldPosition }),
    )
    expect(stream.snapshot?.reason).toBe('unknown-epoch')
    await stream.reader.close()
    const epochAfterRestore = restored.shop.epoch
    await restored.shop.close()

    // The flag is spent: opening the restored file again keeps its (new) epoch.
    const again = createTestServer({ db: copy })
    expect(again.shop.epoch).toBe(epochAfterRestore)
    await again.shop.close()

    // The live file never carried the flag: it keeps its epoch.
    const reopened = createTestServer({ db: live })
    expect(reopened.shop.epoch).toBe(first.shop.epoch)
    await reopened.shop.close()
  })

  it('takes a new epoch when asked to (a file restored by a plain copy)', async () => {
    const file = tempFile('plain.db')
    const first = createTestServer({ db: file })
    await first.shop.close()
    const forced = createTestServer({ db: file, newEpoch: true })
    expect(forced.shop.epoch).not.toBe(first.shop.epoch)
    await forced.shop.close()
  })
})
