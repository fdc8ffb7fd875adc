// Each user's stream carries public actions and their own private ones only: live, replayed from
// an old position, and in snapshots. A commit with nothing for a user is not sent to them.
import { afterEach, expect, it } from 'vitest'
import type { Action, Commit } from '../../src/actions/index.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { type Api, createProduct, createTestServer } from '../support/server.js'

let server: ReturnType<typeof createTestServer>
afterEach(() => server?.shop.close())

const privateUsers = (actions: readonly Action[]) =>
  actions.flatMap((action) => ('user' in action.payload ? [action.payload.user] : []))

/** Everything bob does that has private parts: holds, renewals, checkout, pay, cancel, removal. */
const bobShops = async (bob: Api, clock: { advance(ms: number): void }) => {
  await bob.put('/api/cart/lines/tee', { qty: 2 })
  clock.advance(1000)
  await bob.put('/api/cart/lines/tee', { qty: 2 }) // a renewal: only bob's cart/line-set
  await bob.put('/api/cart/lines/mug', { qty: 1 })
  const first = await bob.post('/api/checkout') // only bob's actions
  await bob.post(`/api/orders/${first.body.order.id}/pay`)
  await bob.put('/api/cart/lines/mug', { qty: 1 })
  const second = await bob.post('/api/checkout')
  await bob.post(`/api/orders/${second.body.order.id}/cancel`)
  await bob.put('/api/cart/lines/tee', { qty: 1 })
  await bob.delete('/api/cart/lines/tee')
}

it('never sends one user’s cart or order actions to another, live or replayed', async () => {
  server = createTestServer()
  const admin = server.as('admin')
  const ann = server.as('ann')
  const bob = server.as('bob')
  await createProduct(admin, 'tee', 9)
  await createProduct(admin, 'mug', 9)
  const annLive = await openedStream(await ann.events())
  const bobLive = await openedStream(await bob.events())

  await ann.put('/api/cart/lines/mug', { qty: 1 })
  await bobShops(bob, server.clock)
  const head = (await admin.post('/api/products/tee/restock', { qty: 1 })).body.seq

  const annCommits = await commitsThrough(annLive.reader, head)
  const bobCommits = await commitsThrough(bobLive.reader, head)
  expect(annCommits.flatMap((c) => privateUsers(c.actions)).every((u) => u === 'ann')).toBe(true)
  expect(bobCommits.flatMap((c) => privateUsers(c.actions)).every((u) => u === 'bob')).toBe(true)
  expect(JSON.stringify(annCommits)).not.toContain('"bob"')
  expect(bobCommits.flatMap((c) => privateUsers(c.actions))).toContain('bob')
  expect(annCommits.flatMap((c) => c.actions.map((a) => a.type))).not.toContain('order/placed')

  const annReplay = await openedStream(
    await ann.events('', { 'Last-Event-ID': annLive.position ?? '' }),
    false,
  )
  expect(await commitsThrough(annReplay.reader, head)).toEqual(annCommits)
  const bobReplay = await openedStream(await bob.events(`?after=${bobLive.position}`), false)
  expect(await commitsThrough(bobReplay.reader, head)).toEqual(bobCommits)

  const annSnapshot = (await ann.get('/api/snapshot')).body
  expect(annSnapshot.cart).toMatchObject([{ sku: 'mug', qty: 1 }])
  expect(annSnapshot.orders).toEqual([])
  for (const reader of [annLive.reader, bobLive.reader, annReplay.reader, bobReplay.reader]) {
    await reader.close()
  }
})

it('does not send a commit with nothing for the user, so their seqs have holes', async () => {
  server = createTestServer()
  const admin = server.as('admin')
  const ann = server.as('ann')
  const bob = server.as('bob')
  await createProduct(admin, 'tee', 9)
  await bob.put('/api/cart/lines/tee', { qty: 1 })
  const annLive = await openedStream(await ann.events())

  const renewal = await bob.put('/api/cart/lines/tee', { qty: 1 })
  const checkout = await bob.post('/api/checkout')
  const restock = await admin.post('/api/products/tee/restock', { qty: 1 })
  expect([renewal.body.seq, checkout.body.seq, restock.body.seq]).toEqual([3, 4, 5])

  const [next] = (await commitsThrough(annLive.reader, restock.body.seq)) as [Commit]
  expect(next.seq).toBe(5)
  expect(next.actions).toEqual([
    { type: 'stock/changed', payload: { sku: 'tee', onHand: 10, held: 1, version: 3 } },
  ])

  const replay = await openedStream(
    await ann.events('', { 'Last-Event-ID': annLive.position ?? '' }),
    false,
  )
  expect((await commitsThrough(replay.reader, 5)).map((c) => c.seq)).toEqual([5])
  await annLive.reader.close()
  await replay.reader.close()
})

it('sends a user the public part of another user’s commit and their own part whole', async () => {
  server = createTestServer()
  const admin = server.as('admin')
  const ann = server.as('ann')
  const bob = server.as('bob')
  await createProduct(admin, 'tee', 5)
  await ann.put('/api/cart/lines/tee', { qty: 1 })
  await bob.put('/api/cart/lines/tee', { qty: 1 })
  const annLive = await openedStream(await ann.events())
  const bobLive = await openedStream(await bob.events())
  const { seq } = (await admin.delete('/api/products/tee')).body

  const [annCommit] = (await commitsThrough(annLive.reader, seq)) as [Commit]
  const [bobCommit] = (await commitsThrough(bobLive.reader, seq)) as [Commit]
  const removed = { type: 'product/removed', payload: { sku: 'tee', version: 4 } }
  expect(annCommit.actions).toEqual([
    { type: 'cart/line-removed', payload: { user: 'ann', sku: 'tee', reason: 'product-removed' } },
    removed,
  ])
  expect(bobCommit.actions).toEqual([
    { type: 'cart/line-removed', payload: { user: 'bob', sku: 'tee', reason: 'product-removed' } },
    removed,
  ])
  const adminLive = await openedStream(await admin.events(`?after=${annLive.position}`), false)
  const [adminCommit] = (await commitsThrough(adminLive.reader, seq)) as [Commit]
  expect(adminCommit.actions).toEqual([removed])
  for (const reader of [annLive.reader, bobLive.reader, adminLive.reader]) await reader.close()
})
