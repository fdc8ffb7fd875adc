// `npm run verify`: the log, replayed from its retained base, equals the tables; tampering shows.
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { verifyDb } from '../../src/server/verify.js'
import { createProduct, createTestServer } from '../support/server.js'

const busyShop = async (options: { logRetain: number }) => {
  const file = join(mkdtempSync(join(tmpdir(), 'shelfsync-verify-')), 'shop.db')
  const { shop, clock, as } = createTestServer({ db: file, holdTtlMs: 60_000, ...options })
  const admin = as('admin')
  for (const sku of ['a', 'b', 'c']) await createProduct(admin, sku, 5)
  const users = ['ann', 'bob', 'cy'].map(as)
  for (let round = 0; round < 120; round++) {
    const user = users[round % 3]!
    const sku = ['a', 'b', 'c'][round % 3]!
    await user.put(`/api/cart/lines/${sku}`, { qty: 1 + (round % 2) })
    if (round % 7 === 0) await admin.post(`/api/products/${sku}/restock`, { qty: 2 })
    if (round % 11 === 0) {
      const order = await user.post('/api/checkout')
      if (order.status === 201 && round % 2 === 0)
        await user.post(`/api/orders/${order.body.order.id}/pay`)
    }
    if (round % 13 === 0) await user.delete(`/api/cart/lines/${sku}`)
    clock.advance(5_000) // some holds and orders lapse along the way
  }
  await shop.close()
  return file
}

describe('verify', () => {
  it('finds the replayed log equal to the tables when nothing was compacted', async () => {
    const file = await busyShop({ logRetain: 1_000_000 })
    const db = new Database(file, { readonly: true })
    const report = verifyDb(db)
    db.close()
    expect(report.differences).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.baseSeq).toBe(0)
    expect(report.commitsReplayed).toBe(report.head)
    expect(report.counts.orders).toBeGreaterThan(0)
  })

  it('replays from the retained base after compaction', async () => {
    const file = await busyShop({ logRetain: 20 })
    const db = new Database(file, { readonly: true })
    const report = verifyDb(db)
    const tail = db.prepare('SELECT min(seq) FROM commits').pluck().get() as number
    db.close()
    expect(report.differences).toEqual([])
    expect(report.baseSeq).toBeGreaterThan(0)
    expect(report.baseSeq).toBe(tail - 1)
    expect(report.head - tail + 1).toBeLessThan(20 + 20)
  })

  it('keeps only pending orders in the retained base, and checks every order placed since', async () => {
    const file = await busyShop({ logRetain: 20 })
    const db = new Database(file)
    const base = db.prepare('SELECT seq, state FROM log_base').get() as {
      seq: number
      state: string
    }
    const orders = Object.values(JSON.parse(base.state).orders) as Array<{ status: string }>
    // Settled orders never change again: each compaction would otherwise rewrite them all.
    expect(orders.every((order) => order.status === 'pending')).toBe(true)
    expect(
      db.prepare(`SELECT count(*) FROM orders WHERE status != 'pending'`).pluck().get(),
    ).toBeGreaterThan(0)
    expect(verifyDb(db).differences).toEqual([])

    // An order settled before the base and set back to pending in its row is caught.
    const early = db
      .prepare(`SELECT id, status FROM orders WHERE status != 'pending' AND seq <= ? LIMIT 1`)
      .get(base.seq) as { id: string; status: string }
    db.prepare(`UPDATE orders SET status = 'pending' WHERE id = ?`).run(early.id)
    expect(verifyDb(db).differences).toEqual([`order ${early.id}: in the tables, not in the log`])
    db.prepare('UPDATE orders SET status = ? WHERE id = ?').run(early.status, early.id)

    // An order row after the base that no commit placed is caught.
    db.prepare(
      `INSERT INTO orders (id, user, status, total_cents, created_at, expires_at, seq)
       VALUES ('ord_forged000000', 'ann', 'paid', 1, 0, 0, ?)`,
    ).run(base.seq + 1)
    const report = verifyDb(db)
    db.close()
    expect(report.differences).toEqual(['order ord_forged000000: in the tables, not in the log'])
  })

  it('reports a row that disagrees with the log', async () => {
    const file = await busyShop({ logRetain: 1_000_000 })
    const db = new Database(file)
    db.prepare(`UPDATE products SET on_hand = on_hand + 1 WHERE sku = 'a'`).run()
    db.prepare(`DELETE FROM products WHERE sku = 'c' AND held = 0`).run()
    const report = verifyDb(db)
    db.close()
    expect(report.ok).toBe(false)
    expect(report.differences.some((d) => d.startsWith('product a: log says'))).toBe(true)
  })

  it('runs as `npm run verify -- <file>` and exits 1 on a difference', async () => {
    const file = await busyShop({ logRetain: 50 })
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/server/verify-cli.ts', file],
      {
        encoding: 'utf8',
      },
    )
    expect(out).toMatch(/^ok: replayed \d+ commits from base seq [1-9]\d* to \d+/)
    const db = new Database(file)
    db.prepare(`UPDATE products SET title = 'changed behind the log' WHERE sku = 'b'`).run()
    db.close()
    let status = 0
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/server/verify-cli.ts', file], {
        encoding: 'utf8',
      })
    } catch (error) {
      status = (error as { status: number }).status
      expect((error as { stdout: string }).stdout).toContain('product b: log says')
    }
    expect(status).toBe(1)
  })
})
