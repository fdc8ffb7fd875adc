import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Commit, Product, ShopClient, Snapshot } from '../../src/store/index.js'
import { createShopClient } from '../../src/store/index.js'
import { type HttpTestServer, startHttpServer } from '../../tests/support/http-server.js'
import { createStockMirror, type StockMirror } from './mirror.js'
import { createStockTable, type StockRow } from './table.js'

const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'stock-mirror-')), 'mirror.db')

const rowOf = (product: Product): StockRow => ({
  ...product,
  available: Math.max(0, product.onHand - product.held),
})

const expectedRows = async (server: HttpTestServer): Promise<StockRow[]> => {
  const response = await server.fetchAs('stock-mirror', '/api/snapshot')
  const snapshot = (await response.json()) as Snapshot
  return snapshot.products.map(rowOf).sort((a, b) => (a.sku < b.sku ? -1 : 1))
}

/** Waits until the mirror's table holds exactly the server's stock as it is now. */
const expectConverged = async (mirror: StockMirror, server: HttpTestServer): Promise<void> => {
  const expected = await expectedRows(server)
  await expect.poll(() => mirror.rows(), { timeout: 15_000, interval: 20 }).toEqual(expected)
}

const ok = async (result: Promise<{ ok: boolean }>): Promise<void> => {
  const settled = await result
  expect(settled, JSON.stringify(settled)).toMatchObject({ ok: true })
}

describe('the stock mirror against a real server', () => {
  const setup = async () => {
    const server = await startHttpServer()
    cleanup.push(() => server.stop())
    const client = (user: string): ShopClient =>
      createShopClient({ baseUrl: server.url, token: server.shop.signToken(user) })
    /** The `Last-Event-ID` of each stream request the mirrors made (`null`: none). */
    const resumedFrom: Array<string | null> = []
    const fetchSpy: typeof fetch = (input, init) => {
      resumedFrom.push(new Headers(init?.headers).get('Last-Event-ID'))
      return fetch(input, init)
    }
    const mirrorOn = (file: string): StockMirror => {
      const mirror = createStockMirror({
        baseUrl: server.url,
        token: server.shop.signToken('stock-mirror'),
        file,
        sync: { fetch: fetchSpy },
      })
      cleanup.push(() => mirror.close())
      mirror.start()
      return mirror
    }
    return { server, admin: client('admin'), ann: client('ann'), mirrorOn, resumedFrom }
  }

  it('follows creates, restocks, holds, edits and deletes into its own table', async () => {
    const { server, admin, ann, mirrorOn } = await setup()
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 3 }))
    const mirror = mirrorOn(tempFile())
    await expectConverged(mirror, server)
    expect(mirror.received.snapshots).toEqual(['initial'])

    await ok(admin.createProduct({ sku: 'mug', title: 'Mug', priceCents: 900, onHand: 2 }))
    await ok(admin.createProduct({ sku: 'cap', title: 'Cap', priceCents: 1200, onHand: 1 }))
    await ok(admin.restock('tee', 7))
    await ok(ann.setCartQty('mug', 2))
    await ok(admin.patchProduct('tee', { title: 'Tee (organic)' }))
    await ok(admin.deleteProduct('cap'))
    await expectConverged(mirror, server)

    const rows = mirror.rows()
    expect(rows.map((row) => row.sku)).toEqual(['mug', 'tee'])
    expect(rows.find((row) => row.sku === 'mug')).toMatchObject({ held: 2, available: 0 })
    expect(rows.find((row) => row.sku === 'tee')).toMatchObject({
      title: 'Tee (organic)',
      onHand: 10,
    })
  })

  it('resumes from the position saved in its table after a restart, without a new snapshot', async () => {
    const { server, admin, ann, mirrorOn, resumedFrom } = await setup()
    const file = tempFile()
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 3 }))
    await ok(admin.createProduct({ sku: 'mug', title: 'Mug', priceCents: 900, onHand: 2 }))
    const first = mirrorOn(file)
    await expectConverged(first, server)
    const saved = first.position()
    first.close()
    expect(saved).toMatch(/^[a-z0-9]+:2$/)

    // While the mirror is down: a restock, a hold, a delete and a new product.
    await ok(admin.restock('mug', 4))
    await ok(ann.setCartQty('tee', 2))
    await ok(admin.deleteProduct('mug'))
    await ok(admin.createProduct({ sku: 'cap', title: 'Cap', priceCents: 1200, onHand: 5 }))

    const second = mirrorOn(file)
    await expectConverged(second, server)
    expect(resumedFrom).toEqual([null, saved])
    expect(second.received.snapshots).toEqual([])
    expect(second.received.commits).toBe(4)

    // And it goes on following live.
    await ok(admin.restock('cap', 1))
    await expectConverged(second, server)
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      epoch: string
      seq: number
    }
    expect(second.position()).toBe(`${health.epoch}:${health.seq}`)
  })
})

describe('the mirror table', () => {
  const product = (version: number, onHand: number): Product => ({
    sku: 'tee',
    title: 'Tee',
    priceCents: 1500,
    onHand,
    held: 0,
    version,
  })
  const snapshot = (products: Product[], epoch = 'epochone1', seq = 1) => ({
    epoch,
    seq,
    serverTime: 0,
    products,
    cart: [],
    orders: [],
    reason: 'initial' as const,
  })
  const stockChanged = (seq: number, version: number, onHand: number): Commit => ({
    seq,
    at: 0,
    actions: [{ type: 'stock/changed', payload: { sku: 'tee', onHand, held: 1, version } }],
  })
  const open = () => {
    const db = new Database(':memory:')
    cleanup.push(() => db.close())
    return createStockTable(db)
  }

  it('changes a row only for a newer version, so a doubled or stale commit changes nothing', () => {
    const table = open()
    table.applySnapshot(snapshot([product(3, 5)]))
    table.applyCommit(stockChanged(2, 4, 6), { epoch: 'epochone1', seq: 2 })
    table.applyCommit(stockChanged(2, 4, 99), { epoch: 'epochone1', seq: 2 })
    table.applyCommit(stockChanged(3, 2, 1), { epoch: 'epochone1', seq: 3 })
    expect(table.rows()).toEqual([{ ...rowOf(product(4, 6)), held: 1, available: 5 }])
    expect(table.position()).toEqual({ epoch: 'epochone1', seq: 3 })
  })

  it('deletes on product/removed and drops what a later snapshot no longer lists', () => {
    const table = open()
    table.applySnapshot(snapshot([product(1, 5), { ...product(1, 2), sku: 'mug' }]))
    table.applyCommit(
      {
        seq: 2,
        at: 0,
        actions: [{ type: 'product/removed', payload: { sku: 'tee', version: 2 } }],
      },
      { epoch: 'epochone1', seq: 2 },
    )
    expect(table.rows().map((row) => row.sku)).toEqual(['mug'])
    table.applySnapshot({ ...snapshot([product(3, 1)], 'epochone1', 9), reason: 'expired' })
    expect(table.rows().map((row) => row.sku)).toEqual(['tee'])
  })

  it('starts over on a snapshot of another database, whose versions it cannot compare', () => {
    const table = open()
    table.applySnapshot(snapshot([product(40, 5)]))
    table.applySnapshot({ ...snapshot([product(2, 8)], 'epochtwo2', 3), reason: 'unknown-epoch' })
    expect(table.rows()).toEqual([rowOf(product(2, 8))])
    expect(table.position()).toEqual({ epoch: 'epochtwo2', seq: 3 })
  })

  it('becomes exactly a snapshot older than itself (a database restored from a copy: ahead)', () => {
    const table = open()
    table.applySnapshot(snapshot([product(2, 5)]))
    table.applyCommit(stockChanged(5, 5, 20), { epoch: 'epochone1', seq: 5 })
    // The server's database was restored from a copy taken at seq 2: same epoch, older versions.
    table.applySnapshot({ ...snapshot([product(2, 5)], 'epochone1', 2), reason: 'ahead' })
    expect(table.rows()).toEqual([rowOf(product(2, 5))])
    // Its next versions count again: the product's removal at version 3 removes it.
    table.applyCommit(
      {
        seq: 3,
        at: 0,
        actions: [{ type: 'product/removed', payload: { sku: 'tee', version: 3 } }],
      },
      { epoch: 'epochone1', seq: 3 },
    )
    expect(table.rows()).toEqual([])
  })

  it('refuses a commit before any snapshot, loudly', () => {
    const table = open()
    expect(() => table.applyCommit(stockChanged(1, 1, 1), { epoch: 'epochone1', seq: 1 })).toThrow(
      /a snapshot must come first/,
    )
  })
})
