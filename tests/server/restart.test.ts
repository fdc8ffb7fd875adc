// A restart on the same SQLite file loses nothing: the epoch stays, positions stay valid, and
// what lapsed while the server was down is released by the start-up sweep, once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Commit } from '../../src/actions/index.js'
import { createShelfsync, type Shelfsync } from '../../src/server/index.js'
import { createManualClock } from '../support/clock.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { apiAs, createProduct, TEST_SECRET } from '../support/server.js'
import { observe } from '../support/shop-state.js'

const TTL = 15 * 60_000
let dir: string
let file: string
const opened: Shelfsync[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfsync-restart-'))
  file = join(dir, 'shop.db')
})
afterEach(async () => {
  for (const shop of opened.splice(0)) await shop.close()
  rmSync(dir, { recursive: true, force: true })
})

const start = (now: number) => {
  const clock = createManualClock(now)
  const shop = createShelfsync({
    db: file,
    demo: false,
    secret: TEST_SECRET,
    admins: ['admin'],
    clock,
  })
  opened.push(shop)
  return { shop, clock, as: (user: string) => apiAs(shop.app, shop.signToken(user)) }
}

const stopped = async (shop: Shelfsync) => {
  await shop.close()
  opened.splice(opened.indexOf(shop), 1)
}

it('releases a hold and an order that lapsed while the server was down, in one start-up commit', async () => {
  const first = start(Date.UTC(2026, 0, 1))
  await createProduct(first.as('admin'), 'ticket', 1)
  await createProduct(first.as('admin'), 'tee', 5)
  await first.as('ann').put('/api/cart/lines/ticket', { qty: 1 })
  await first.as('bob').put('/api/cart/lines/tee', { qty: 2 })
  const { body } = await first.as('bob').post('/api/checkout')
  const before = await observe(first.as('ann'))
  const position = `${first.shop.epoch}:${before.seq}`
  await stopped(first.shop)

  const second = start(first.clock.now() + TTL + 1)
  expect(second.shop.epoch).toBe(first.shop.epoch)
  const ann = second.as('ann')
  const after = await observe(ann)
  expect(after.seq).toBe(before.seq + 1)
  expect(after.cart).toEqual([])
  expect(after.products).toMatchObject([
    { sku: 'tee', onHand: 5, held: 0 },
    { sku: 'ticket', onHand: 1, held: 0 },
  ])
  expect((await second.as('bob').get('/api/snapshot')).body.orders).toMatchObject([
    { id: body.order.id, status: 'expired' },
  ])

  const resumed = await openedStream(await ann.events('', { 'Last-Event-ID': position }), false)
  const [sweep] = (await commitsThrough(resumed.reader, after.seq)) as [Commit]
  expect(sweep.seq).toBe(before.seq + 1)
  expect(sweep.actions).toEqual([
    { type: 'cart/line-removed', payload: { user: 'ann', sku: 'ticket', reason: 'expired' } },
    { type: 'stock/changed', payload: { sku: 'ticket', onHand: 1, held: 0, version: 3 } },
    { type: 'stock/changed', payload: { sku: 'tee', onHand: 5, held: 0, version: 3 } },
  ])
  await resumed.reader.close()

  await stopped(second.shop)
  const third = start(second.clock.now() + TTL)
  expect((await observe(third.as('ann'))).seq).toBe(after.seq)
})

it('keeps holds that have not lapsed, and every commit, across a restart', async () => {
  const first = start(Date.UTC(2026, 0, 1))
  await createProduct(first.as('admin'), 'ticket', 1)
  const hold = await first.as('ann').put('/api/cart/lines/ticket', { qty: 1 })
  const before = await observe(first.as('ann'))
  await stopped(first.shop)

  const second = start(first.clock.now() + 60_000)
  const ann = second.as('ann')
  expect(await observe(ann)).toEqual(before)
  const replay = await openedStream(await ann.events(`?after=${second.shop.epoch}:0`), false)
  const commits = await commitsThrough(replay.reader, before.seq)
  expect(commits.map((c) => c.seq)).toEqual([1, 2])
  await replay.reader.close()

  second.clock.set(hold.body.line.expiresAt)
  second.shop.releaseLapsed()
  expect((await ann.get('/api/snapshot')).body.cart).toEqual([])
})
