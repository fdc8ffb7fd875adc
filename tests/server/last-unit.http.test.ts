// The last unit over real HTTP: many customers try to hold it at the same moment; exactly one
// gets it, every other one is told it is sold out, and the stock never goes negative.
import { afterEach, expect, it } from 'vitest'
import type { Problem, Snapshot } from '../../src/actions/index.js'
import { type HttpTestServer, startHttpServer } from '../support/http-server.js'

let server: HttpTestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

it('lets exactly one of many simultaneous customers hold the last unit', async () => {
  server = await startHttpServer()
  const created = await server.fetchAs('admin', '/api/products', {
    method: 'POST',
    body: JSON.stringify({ sku: 'ticket', title: 'Front-row ticket', priceCents: 8900, onHand: 1 }),
  })
  expect(created.status).toBe(201)

  const users = Array.from({ length: 24 }, (_, i) => `fan${i}`)
  const http = server
  const answers = await Promise.all(
    users.map(async (user) => {
      const response = await http.fetchAs(user, '/api/cart/lines/ticket', {
        method: 'PUT',
        body: JSON.stringify({ qty: 1 }),
      })
      return {
        user,
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      }
    }),
  )

  const winners = answers.filter((a) => a.status === 200)
  const losers = answers.filter((a) => a.status !== 200)
  expect(winners).toHaveLength(1)
  expect(losers).toHaveLength(users.length - 1)
  for (const loser of losers) {
    expect(loser.status).toBe(409)
    expect(loser.type).toMatch(/^application\/problem\+json/)
    expect(loser.body as Problem).toMatchObject({ code: 'stock/insufficient', available: 0 })
  }

  const winner = winners[0]?.user ?? ''
  const snapshot = (await (await server.fetchAs(winner, '/api/snapshot')).json()) as Snapshot
  expect(snapshot.products).toMatchObject([{ sku: 'ticket', onHand: 1, held: 1, version: 2 }])
  expect(snapshot.cart).toMatchObject([{ sku: 'ticket', qty: 1 }])
  const health = (await (await fetch(`${server.url}/api/health`)).json()) as { seq: number }
  expect(health.seq).toBe(2)
})
