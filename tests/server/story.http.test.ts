// The story from the brief, over real HTTP: two customers and an admin, one item in stock, and
// what each one's stream delivered after every step.
import { afterEach, expect, it } from 'vitest'
import type { Action } from '../../src/actions/index.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { type HttpTestServer, startHttpServer } from '../support/http-server.js'
import type { SseReader } from '../support/sse.js'

let server: HttpTestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

it('shows every customer the same stock at every step while each keeps their own cart', async () => {
  const http = await startHttpServer()
  server = http
  const send = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await http.fetchAs(user, path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    expect(response.status, `${user} ${method} ${path}`).toBeLessThan(300)
    return (await response.json()) as { seq: number }
  }
  await send('admin', 'POST', '/api/products', {
    sku: 'ticket',
    title: 'Front-row ticket',
    priceCents: 8900,
    onHand: 1,
  })

  const c1 = await openedStream(await http.fetchAs('c1', '/api/events'))
  const c2 = await openedStream(await http.fetchAs('c2', '/api/events'))
  const admin = await openedStream(await http.fetchAs('admin', '/api/events'))
  for (const stream of [c1, c2, admin]) {
    expect(stream.snapshot?.products).toEqual([
      {
        sku: 'ticket',
        title: 'Front-row ticket',
        priceCents: 8900,
        onHand: 1,
        held: 0,
        version: 1,
      },
    ])
  }

  /** The actions each stream delivered for the commit `seq`. */
  const delivered = async (seq: number) => {
    const read = async (reader: SseReader) => {
      const commits = await commitsThrough(reader, seq)
      expect(commits.map((c) => c.seq)).toEqual([seq])
      return commits[0]?.actions as Action[]
    }
    return { c1: await read(c1.reader), c2: await read(c2.reader), admin: await read(admin.reader) }
  }
  const stock = (onHand: number, held: number, version: number): Action => ({
    type: 'stock/changed',
    payload: { sku: 'ticket', onHand, held, version },
  })

  // C1 adds the ticket: C2 sees it held at once (available 0).
  const add1 = await send('c1', 'PUT', '/api/cart/lines/ticket', { qty: 1 })
  let seen = await delivered(add1.seq)
  expect(seen.c2).toEqual([stock(1, 1, 2)])
  expect(seen.admin).toEqual([stock(1, 1, 2)])
  expect(seen.c1).toEqual([
    {
      type: 'cart/line-set',
      payload: { user: 'c1', sku: 'ticket', qty: 1, expiresAt: expect.any(Number) },
    },
    stock(1, 1, 2),
  ])

  // C2 cannot have it meanwhile.
  const refused = await http.fetchAs('c2', '/api/cart/lines/ticket', {
    method: 'PUT',
    body: JSON.stringify({ qty: 1 }),
  })
  expect(refused.status).toBe(409)
  expect(await refused.json()).toMatchObject({ code: 'stock/insufficient', available: 0 })

  // C1 removes it: both see it available again.
  const remove1 = await send('c1', 'DELETE', '/api/cart/lines/ticket')
  seen = await delivered(remove1.seq)
  expect(seen.c2).toEqual([stock(1, 0, 3)])
  expect(seen.c1).toEqual([
    { type: 'cart/line-removed', payload: { user: 'c1', sku: 'ticket', reason: 'removed' } },
    stock(1, 0, 3),
  ])

  // C2 adds it: C1 sees it taken.
  const add2 = await send('c2', 'PUT', '/api/cart/lines/ticket', { qty: 1 })
  seen = await delivered(add2.seq)
  expect(seen.c1).toEqual([stock(1, 1, 4)])
  expect(seen.c2).toEqual([
    {
      type: 'cart/line-set',
      payload: { user: 'c2', sku: 'ticket', qty: 1, expiresAt: expect.any(Number) },
    },
    stock(1, 1, 4),
  ])

  // The admin restocks 10: C1 sees 10 available, C2 still holds 1.
  const restock = await send('admin', 'POST', '/api/products/ticket/restock', { qty: 10 })
  seen = await delivered(restock.seq)
  expect(seen.c1).toEqual([stock(11, 1, 5)])
  expect(seen.c2).toEqual([stock(11, 1, 5)])
  const c2Snapshot = await (await http.fetchAs('c2', '/api/snapshot')).json()
  expect(c2Snapshot).toMatchObject({
    seq: restock.seq,
    products: [{ sku: 'ticket', onHand: 11, held: 1 }],
    cart: [{ sku: 'ticket', qty: 1 }],
  })
  const c1Snapshot = await (await http.fetchAs('c1', '/api/snapshot')).json()
  expect(c1Snapshot.cart).toEqual([])

  for (const stream of [c1, c2, admin]) await stream.reader.close()
})
