// GET /api/events, frame by frame: headers, the retry hint, the snapshot event, commit events
// without an `event:` field, heartbeats, and the end of a stream whose token expired.
import { afterEach, expect, it } from 'vitest'
import type { Commit } from '../../src/actions/index.js'
import { commitFrameText, commitOf, openedStream, snapshotOf } from '../support/events.js'
import { createProduct, createTestServer } from '../support/server.js'
import { withoutServerTime } from '../support/shop-state.js'
import { readSse } from '../support/sse.js'

let server: ReturnType<typeof createTestServer>
const setup = async (options: Parameters<typeof createTestServer>[0] = {}) => {
  server = createTestServer(options)
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 3, 2500)
  return { ...server, admin, ann: server.as('ann') }
}
afterEach(() => server?.shop.close())

it('answers with the event-stream headers that keep proxies from buffering', async () => {
  const { ann } = await setup()
  const response = await ann.events()
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/event-stream')
  expect(response.headers.get('cache-control')).toBe('no-cache')
  expect(response.headers.get('x-accel-buffering')).toBe('no')
  await response.body?.cancel()
})

it('sends a retry hint first, within the configured spread', async () => {
  const { ann } = await setup({ retryMs: { min: 1500, max: 1600 } })
  const hints = new Set<number>()
  for (let i = 0; i < 12; i++) {
    const reader = readSse(await ann.events())
    const first = await reader.next()
    expect(first.raw).toMatch(/^retry: \d+$/)
    expect(first.retry).toBeGreaterThanOrEqual(1500)
    expect(first.retry).toBeLessThan(1600)
    hints.add(first.retry as number)
    await reader.close()
  }
  expect(hints.size).toBeGreaterThan(1)
})

it('follows the retry hint with a snapshot event of the caller’s view and its position', async () => {
  const { ann, shop } = await setup()
  await ann.put('/api/cart/lines/tee', { qty: 1 })
  const reader = readSse(await ann.events())
  await reader.next()
  const frame = await reader.next()
  expect(frame.raw.split('\n').map((line) => line.slice(0, line.indexOf(':')))).toEqual([
    'event',
    'id',
    'data',
  ])
  expect(frame.event).toBe('snapshot')
  expect(frame.id).toBe(`${shop.epoch}:2`)
  const data = snapshotOf(frame)
  expect(data.reason).toBe('initial')
  const { reason: _reason, serverTime, ...rest } = data
  expect(serverTime).toBe(server.clock.now())
  expect(rest).toEqual(withoutServerTime((await ann.get('/api/snapshot')).body))
  await reader.close()
})

it('sends each commit as one event with no event field, exactly as framed', async () => {
  const { ann, admin, shop, clock } = await setup()
  const stream = await openedStream(await ann.events())
  clock.advance(1234)
  const hold = await ann.put('/api/cart/lines/tee', { qty: 2 })
  const restock = await admin.post('/api/products/tee/restock', { qty: 4 })

  const first = await stream.reader.next()
  const expected: Commit = {
    seq: hold.body.seq,
    at: clock.now(),
    actions: [
      {
        type: 'cart/line-set',
        payload: { user: 'ann', sku: 'tee', qty: 2, expiresAt: hold.body.line.expiresAt },
      },
      { type: 'stock/changed', payload: { sku: 'tee', onHand: 3, held: 2, version: 2 } },
    ],
  }
  expect(first.raw).toBe(commitFrameText(shop.epoch, expected))
  expect(commitOf(first)).toEqual(expected)

  const second = commitOf(await stream.reader.next())
  expect(second).toEqual({
    seq: restock.body.seq,
    at: clock.now(),
    actions: [{ type: 'stock/changed', payload: { sku: 'tee', onHand: 7, held: 2, version: 3 } }],
  })
  await stream.reader.close()
})

it('sends a heartbeat comment when nothing else was sent for a while', async () => {
  const { ann } = await setup({ heartbeatMs: 20 })
  const stream = await openedStream(await ann.events())
  const ping = await stream.reader.next(5000)
  expect(ping.raw).toBe(': ping')
  expect(ping.comments).toEqual(['ping'])
  expect(ping.data).toBeUndefined()
  const again = await stream.reader.next(5000)
  expect(again.raw).toBe(': ping')
  await stream.reader.close()
})

it('keeps a stream open while its token is valid, and ends it with a retry hint once expired', async () => {
  const { shop, clock } = await setup({ heartbeatMs: 20 })
  const token = shop.signToken('ann', 60_000)
  const response = await shop.app.request('/api/events', {
    headers: { Authorization: `Bearer ${token}` },
  })
  const stream = await openedStream(response)
  expect((await stream.reader.next()).raw).toBe(': ping')
  expect((await stream.reader.next()).raw).toBe(': ping')
  clock.advance(60_000)
  const rest = await stream.reader.ended()
  expect(rest.at(-1)?.raw).toMatch(/^retry: \d+$/)
  expect(rest.filter((frame) => frame.data !== undefined)).toEqual([])
})

it('forgets a stream whose reader went away', async () => {
  const { ann, shop } = await setup()
  const stream = await openedStream(await ann.events())
  expect(shop.streamCount).toBe(1)
  await stream.reader.close()
  expect(shop.streamCount).toBe(0)
  expect((await ann.put('/api/cart/lines/tee', { qty: 1 })).status).toBe(200)
})
