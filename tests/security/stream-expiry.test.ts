// An open stream ends when its token expires (checked on the heartbeat tick), with a retry hint
// first; reconnecting with the same token then answers 401 auth/expired. Over real HTTP.
import { afterEach, expect, it } from 'vitest'
import { pathOf } from '../../src/actions/index.js'
import { signToken } from '../../src/server/index.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { type HttpTestServer, startHttpServer } from '../support/http-server.js'
import { expectProblemResponse } from '../support/problem.js'
import { TEST_SECRET } from '../support/server.js'

let server: HttpTestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

const eventsWith = (token: string) =>
  fetch(`${server?.url}/api/events`, { headers: { Authorization: `Bearer ${token}` } })

it('ends a stream when its token expires, and refuses the token on reconnect', async () => {
  server = await startHttpServer({ heartbeatMs: 50 })
  // `exp` is in whole seconds, so this token lives 1.5 to 2.5 s: time enough to open the stream.
  const shortLived = signToken(TEST_SECRET, { user: 'ann', ttlMs: 2500 })
  const longLived = signToken(TEST_SECRET, { user: 'ann', ttlMs: 3_600_000 })
  const expiring = await openedStream(await eventsWith(shortLived))
  const lasting = await openedStream(await eventsWith(longLived))
  expect(server.shop.streamCount).toBe(2)

  // The server ends it by itself: the read finishes without the client closing anything.
  const rest = await expiring.reader.ended(10_000)
  expect(rest.filter((frame) => frame.data !== undefined)).toEqual([])
  expect(rest.at(-1)?.raw).toMatch(/^retry: \d+$/)
  expect(server.shop.streamCount).toBe(1)

  await expectProblemResponse(await eventsWith(shortLived), 401, 'auth/expired')
  const write = await server.fetchAs('admin', '/api/products', {
    method: 'POST',
    body: JSON.stringify({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 3 }),
  })
  expect(write.status).toBe(201)
  const { seq } = (await write.json()) as { seq: number }

  // The stream with a valid token was not touched.
  const [commit] = await commitsThrough(lasting.reader, seq)
  expect(commit?.actions[0]).toMatchObject({ type: 'product/upserted', payload: { sku: 'tee' } })
  await lasting.reader.close()
})

it('refuses every route to the expired token, not only the stream', async () => {
  server = await startHttpServer({ heartbeatMs: 50 })
  const expired = signToken(TEST_SECRET, { user: 'ann', now: Date.now() - 61_000, ttlMs: 60_000 })
  const headers = { Authorization: `Bearer ${expired}`, 'Content-Type': 'application/json' }
  for (const [method, path, body] of [
    ['GET', '/api/events', undefined],
    ['GET', '/api/snapshot', undefined],
    ['PUT', pathOf.cartLine('tee'), '{"qty":1}'],
    ['POST', '/api/checkout', undefined],
  ] as const) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body ? { body } : {}),
    })
    await expectProblemResponse(response, 401, 'auth/expired')
  }
  expect(server.shop.streamCount).toBe(0)
})
