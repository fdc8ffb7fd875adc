// A refused token stops the SDK's connection with a clear status; it does not retry in a loop.
import { describe, expect, it } from 'vitest'
import { signToken } from '../../src/server/index.js'
import { selectConnection, selectNotices } from '../../src/store/index.js'
import { createManualClock } from '../support/clock.js'
import { commandClient, live, streamRequests, until } from './support/clients.js'
import { integrationScope } from './support/scope.js'
import type { LiveServer } from './support/server.js'

const { serve, follow } = integrationScope()

/**
 * Lets the event loop and the server do a full round of work: an admin write, seen live by a
 * healthy client. Anything the refused client would retry on its own has had its chance.
 */
const roundTrip = async (server: LiveServer, sku: string): Promise<void> => {
  const watcher = follow(server.url, server.token('watcher'))
  await live(watcher.client)
  const admin = commandClient(server.url, server.token('admin'))
  await admin.createProduct({ sku, title: sku, priceCents: 1, onHand: 1 })
  await until(watcher.client, (s) => s.confirmed.products[sku], `${sku} seen live`)
}

describe('the SDK with a refused token', () => {
  it('stops as unauthorized when its token has expired, and asks no more', async () => {
    const clock = createManualClock()
    // The server's heartbeat tick also ends streams whose token has run out; make it quick.
    const server = await serve({ clock, heartbeatMs: 200 })
    const ann = follow(server.url, server.shop.signToken('ann', 60_000))
    await live(ann.client)

    clock.advance(61_000)
    const state = await until(
      ann.client,
      (s) => s.connection.status === 'unauthorized' && s,
      'unauthorized',
    )
    expect(selectConnection(state)).toEqual({
      status: 'unauthorized',
      attempt: expect.any(Number),
      lastError: { code: 'auth/expired', message: expect.any(String), status: 401 },
      retryAt: null,
    })
    const asked = streamRequests(ann.requests)
    expect(asked).toBe(2) // the stream it had, and one refused reconnect

    await roundTrip(server, 'later')
    expect(streamRequests(ann.requests)).toBe(asked)
    expect(ann.client.store.getState().connection.status).toBe('unauthorized')
  })

  it('keeps following with a token function: the reconnect after the expired stream asks it anew', async () => {
    const clock = createManualClock()
    const server = await serve({ clock, heartbeatMs: 200 })
    const issued: string[] = []
    const renewing = (): string => {
      const token = server.shop.signToken('ann', 60_000) // valid for a minute from the clock's now
      issued.push(token)
      return token
    }
    const ann = follow(server.url, 'not used', { token: renewing })
    await live(ann.client)
    const first = issued.at(-1)

    clock.advance(61_000) // the first token has run out: the server ends that stream
    await expect.poll(() => streamRequests(ann.requests), { timeout: 10_000 }).toBe(2)
    const admin = commandClient(server.url, server.token('admin'))
    await admin.createProduct({ sku: 'later', title: 'Later', priceCents: 1, onHand: 1 })
    await until(ann.client, (s) => s.confirmed.products.later, 'a product made after the renewal')
    expect(ann.client.store.getState().connection.status).toBe('live')
    expect(streamRequests(ann.requests)).toBe(2)
    expect(issued.at(-1)).not.toBe(first)

    // Commands ask it too.
    const held = await ann.client.setCartQty('later', 1)
    expect(held.ok).toBe(true)
  })

  it('stops at once on a token signed with another secret, and refuses its commands once', async () => {
    const server = await serve()
    const forged = signToken('another-secret-0123456789', { user: 'ann' })
    const ann = follow(server.url, forged)
    const state = await until(
      ann.client,
      (s) => s.connection.status === 'unauthorized' && s,
      'unauthorized',
    )
    expect(state.connection.lastError).toMatchObject({ code: 'auth/invalid', status: 401 })
    expect(state.position).toBeNull()

    const result = await ann.client.setCartQty('tee', 1)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problem.code).toBe('auth/invalid')
    expect(selectNotices(ann.client.store.getState())).toMatchObject([
      {
        code: 'auth/invalid',
        message: 'Your session is not valid any more. Please sign in again.',
      },
    ])
    expect(ann.client.store.getState().view.cart).toEqual({})

    await roundTrip(server, 'later')
    expect(ann.requests).toEqual(['GET /api/events', 'PUT /api/cart/lines/tee'])
  })
})
