// Nothing acknowledged is lost: the server is killed with SIGKILL in the middle of a stream of
// acknowledged writes, restarted on the same file, and everything it acknowledged is there.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../src/server/db/open.js'
import { signToken } from '../../src/server/index.js'
import { spawnServer } from '../support/spawn-server.js'
import { readSse } from '../support/sse.js'

const SECRET = 'durability-secret-0123456789'
const token = (user: string) => signToken(SECRET, { user })

const call = (url: string, user: string, method: string, path: string, body?: unknown) =>
  fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token(user)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('a server killed with SIGKILL', () => {
  it('keeps every acknowledged change, its epoch and a resumable log', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'shelfsync-kill-')), 'shop.db')
    const env = { SHELFSYNC_DB: db, SHELFSYNC_SECRET: SECRET }
    const first = await spawnServer(env)
    expect(
      (
        await call(first.url, 'admin', 'POST', '/api/products', {
          sku: 'bolt',
          title: 'Bolt',
          priceCents: 5,
          onHand: 0,
        })
      ).status,
    ).toBe(201)
    const before = (await (await fetch(`${first.url}/api/health`)).json()) as {
      epoch: string
      seq: number
    }

    // Writers keep restocking one unit at a time; SIGKILL lands while requests are in flight.
    let acknowledged = 0
    let lastAckSeq = 0
    let sent = 0
    let killed = false
    const writer = async () => {
      while (!killed) {
        sent++
        try {
          const res = await call(first.url, 'admin', 'POST', '/api/products/bolt/restock', {
            qty: 1,
          })
          if (res.status !== 200) throw new Error(`restock answered ${res.status}`)
          const { seq } = (await res.json()) as { seq: number }
          acknowledged++
          lastAckSeq = Math.max(lastAckSeq, seq)
        } catch (error) {
          if (!killed) throw error
        }
      }
    }
    const writers = [writer(), writer(), writer(), writer()]
    while (acknowledged < 150) await new Promise((r) => setTimeout(r, 5))
    first.child.kill('SIGKILL')
    killed = true
    await first.exited
    await Promise.all(writers)

    const check = new Database(db, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    check.close()

    const second = await spawnServer(env)
    try {
      const after = (await (await fetch(`${second.url}/api/health`)).json()) as {
        epoch: string
        seq: number
      }
      expect(after.epoch).toBe(before.epoch)
      expect(after.seq).toBeGreaterThanOrEqual(lastAckSeq)
      const snapshot = (await (await call(second.url, 'admin', 'GET', '/api/snapshot')).json()) as {
        products: { sku: string; onHand: number }[]
      }
      const bolt = snapshot.products.find((p) => p.sku === 'bolt')
      // Every acknowledged restock is there; some sent but unanswered ones may be too.
      expect(bolt?.onHand).toBeGreaterThanOrEqual(acknowledged)
      expect(bolt?.onHand).toBeLessThanOrEqual(sent)
      expect(bolt?.onHand).toBe(after.seq - 1)

      // A client that was at the position before the writes resumes without a gap.
      const res = await fetch(`${second.url}/api/events`, {
        headers: {
          Authorization: `Bearer ${token('ann')}`,
          'Last-Event-ID': `${before.epoch}:${before.seq}`,
        },
      })
      const sse = readSse(res)
      let expected = before.seq + 1
      while (expected <= after.seq) {
        const frame = await sse.nextEvent()
        expect(frame.event).toBeUndefined()
        expect(frame.id).toBe(`${before.epoch}:${expected}`)
        expected++
      }
      await sse.close()
    } finally {
      second.child.kill('SIGTERM')
      await second.exited
    }
  })
})

describe('the database file', () => {
  // A killed process cannot lose the OS's page cache, so the tests above cannot tell FULL from
  // OFF; this pins the setting that makes an acknowledged change survive a power cut too.
  it('is opened in WAL mode with synchronous = FULL', () => {
    const { db } = openDb(join(mkdtempSync(join(tmpdir(), 'shelfsync-durable-')), 'shop.db'))
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('synchronous', { simple: true })).toBe(2) // 2 = FULL
    } finally {
      db.close()
    }
  })
})
