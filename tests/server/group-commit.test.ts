// Group commit: commands that arrive together share one write transaction (one fsync), each in
// its own savepoint, so a refused one undoes only itself and the others keep their own commits.
import { describe, expect, it } from 'vitest'
import { createProduct, createTestServer } from '../support/server.js'
import { openWriter } from '../support/writer.js'

const counter = (metrics: string, name: string) =>
  Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1])

describe('group commit', () => {
  it('puts commands that arrive together in one transaction and refuses only the bad one', async () => {
    const { shop, as } = createTestServer()
    // The start-up sweep for lapsed holds wrote no commit: it is not a write transaction.
    const fresh = await (await shop.app.request('/metrics')).text()
    expect(counter(fresh, 'shelfsync_write_transactions_total')).toBe(0)
    const admin = as('admin')
    await createProduct(admin, 'mug', 3)
    const before = await (await shop.app.request('/metrics')).text()

    const users = ['ann', 'bob', 'cy', 'dee', 'eve'].map(as)
    const answers = await Promise.all(
      users.map((user) => user.put('/api/cart/lines/mug', { qty: 1 })),
    )
    const statuses = answers.map((a) => a.status)
    // Three units: the first three in arrival order get them, the last two are refused.
    expect(statuses).toEqual([200, 200, 200, 409, 409])
    const seqs = answers.slice(0, 3).map((a) => a.body.seq as number)
    expect(seqs[1]).toBe((seqs[0] ?? 0) + 1)
    expect(seqs[2]).toBe((seqs[0] ?? 0) + 2)

    const after = await (await shop.app.request('/metrics')).text()
    const commits =
      counter(after, 'shelfsync_commits_total') - counter(before, 'shelfsync_commits_total')
    const transactions =
      counter(after, 'shelfsync_write_transactions_total') -
      counter(before, 'shelfsync_write_transactions_total')
    expect(commits).toBe(3)
    expect(transactions).toBe(1)

    const snapshot = await admin.get('/api/snapshot')
    expect(snapshot.body.products[0]).toMatchObject({ sku: 'mug', onHand: 3, held: 3 })
    expect(snapshot.body.seq).toBe(seqs[2])
    await shop.close()
  })
})

describe('the queued group at shutdown', () => {
  it('commits when flushed before the database closes, instead of failing after it', async () => {
    const { db, rows, writer } = openWriter(':memory:')
    const queued = ['a', 'b'].map((sku) =>
      writer.runGrouped((tx) => {
        tx.emit({ type: 'product/removed', payload: { sku, version: 1 } })
        return tx.commit()
      }),
    )
    writer.flushQueued() // what close() does once the grace period is over
    expect(rows.log.head()).toBe(2)
    db.close() // before the turn in which the group would have run
    expect(await Promise.all(queued)).toEqual([1, 2])
  })
})
