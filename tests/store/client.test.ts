import { describe, expect, it } from 'vitest'
import type { SnapshotEventData } from '../../src/actions/index.js'
import { createShopClient } from '../../src/store/client.js'
import { selectButton } from '../../src/store/selectors.js'
import type { SyncConnection, SyncHandlers, SyncOptions } from '../../src/store/sync/index.js'
import { waitUntil } from '../support/wait-until.js'
import { createFakeFetch } from './sync/fake-fetch.js'

/** A connection that does nothing by itself: the test plays the server through its handlers. */
const fakeConnect = () => {
  const made: { handlers?: SyncHandlers; options?: SyncOptions } = {}
  const calls: string[] = []
  const connect = (handlers: SyncHandlers, options: SyncOptions): SyncConnection => {
    made.handlers = handlers
    made.options = options
    return {
      start: () => calls.push('start'),
      stop: () => calls.push('stop'),
      reconnect: () => calls.push('reconnect'),
      info: { status: 'closed', attempt: 0, lastError: null, retryAt: null },
    }
  }
  return { connect, made, calls }
}

const snapshot: SnapshotEventData = {
  epoch: 'epochone1',
  seq: 4,
  serverTime: 10_000,
  products: [{ sku: 'tee', title: 'Tee', priceCents: 100, onHand: 1, held: 0, version: 2 }],
  cart: [],
  orders: [],
  reason: 'initial',
}

const answers = (...bodies: unknown[]) => {
  const requests: Array<{ url: string; init: RequestInit }> = []
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init })
    return new Response(JSON.stringify(bodies.shift()), { status: 200 })
  }) as typeof globalThis.fetch
  return { fetch, requests }
}

const timers = {
  setTimeout: () => 0,
  clearTimeout: () => {},
  now: () => 7_000,
}

describe('createShopClient', () => {
  it('feeds stream events into the store and resumes from the store’s position', () => {
    const fake = fakeConnect()
    const client = createShopClient({ baseUrl: 'http://shop.test/', connect: fake.connect, timers })
    expect(fake.made.options?.baseUrl).toBe('http://shop.test')
    expect(fake.made.options?.getPosition()).toBeNull()

    fake.made.handlers?.onSnapshot(snapshot, 'epochone1:4')
    fake.made.handlers?.onCommit(
      {
        seq: 6,
        at: 0,
        actions: [
          { type: 'stock/changed', payload: { sku: 'tee', onHand: 1, held: 1, version: 3 } },
        ],
      },
      'epochone1:6',
    )
    fake.made.handlers?.onStatus({ status: 'live', attempt: 0, lastError: null, retryAt: null })

    const state = client.store.getState()
    expect(fake.made.options?.getPosition()).toBe('epochone1:6')
    expect(state.serverOffsetMs).toBe(3_000)
    expect(state.connection.status).toBe('live')
    expect(selectButton('tee')(state)).toBe('sold-out')
  })

  it('starts and stops the connection', () => {
    const fake = fakeConnect()
    const client = createShopClient({ baseUrl: 'http://shop.test', connect: fake.connect, timers })
    client.start()
    client.stop()
    expect(fake.calls).toEqual(['start', 'stop'])
  })

  it('signs in, then sends the returned token on commands and to the stream, and reconnects', async () => {
    const fake = fakeConnect()
    const { fetch, requests } = answers(
      { token: 'tok-ann', user: 'ann', role: 'customer' },
      { seq: 9 },
    )
    const client = createShopClient({
      baseUrl: 'http://shop.test',
      connect: fake.connect,
      fetch,
      timers,
    })
    client.start()
    const session = await client.signIn('ann')

    expect(session.ok).toBe(true)
    expect(requests[0]?.url).toBe('http://shop.test/api/session')
    expect(requests[0]?.init.credentials).toBe('include')
    expect(client.store.getState().session).toEqual({ user: 'ann', role: 'customer' })
    expect(fake.calls).toEqual(['start', 'reconnect'])
    const token = fake.made.options?.token
    expect(typeof token === 'function' ? token() : token).toBe('tok-ann')

    await client.removeFromCart('tee')
    const headers = requests[1]?.init.headers as Record<string, string>
    expect(headers.Authorization).toBe('Bearer tok-ann')
  })

  it('dismisses a notice through the dispatcher', async () => {
    const fake = fakeConnect()
    const fetch = (async () =>
      new Response(
        JSON.stringify({
          type: 'x',
          title: 'x',
          status: 409,
          detail: 'd',
          code: 'stock/insufficient',
        }),
        { status: 409 },
      )) as unknown as typeof globalThis.fetch
    const client = createShopClient({ baseUrl: '', connect: fake.connect, fetch, timers })
    fake.made.handlers?.onSnapshot(snapshot, 'epochone1:4')
    await client.setCartQty('tee', 1)
    const [notice] = Object.values(client.store.getState().notices)
    expect(notice?.code).toBe('stock/insufficient')
    client.dismissNotice(notice?.id ?? '')
    expect(client.store.getState().notices).toEqual({})
  })

  it('has a refused stream tried again only when the token is a function', () => {
    const made = (token?: string | (() => string), retryRefused?: boolean) => {
      const fake = fakeConnect()
      createShopClient({
        baseUrl: 'http://shop.test',
        connect: fake.connect,
        timers,
        ...(token === undefined ? {} : { token }),
        ...(retryRefused === undefined ? {} : { retryRefused }),
      })
      const retry = fake.made.options?.retryRefused
      return typeof retry === 'function' ? retry() : retry
    }
    expect(made(() => 'renewed')).toBe(true)
    expect(made('fixed')).toBe(false)
    expect(made()).toBe(false)
    expect(made(() => 'renewed', false)).toBe(false)
  })

  it('applies the commits of one chunk as one store update, keeping the order of events', () => {
    const fake = fakeConnect()
    const client = createShopClient({ baseUrl: 'http://shop.test', connect: fake.connect, timers })
    const handlers = fake.made.handlers
    const restock = (seq: number, onHand: number) => ({
      seq,
      at: 0,
      actions: [
        {
          type: 'stock/changed' as const,
          payload: { sku: 'tee', onHand, held: 0, version: seq },
        },
      ],
    })
    const seen: Array<[string, number | undefined]> = []
    client.store.subscribe((state) => {
      seen.push([state.connection.status, state.view.products.tee?.onHand])
    })

    handlers?.batch?.(() => {
      handlers.onSnapshot(snapshot, 'epochone1:4')
      handlers.onCommit(restock(5, 2), 'epochone1:5')
      handlers.onCommit(restock(6, 3), 'epochone1:6')
      // A status change in the middle lets the commits before it through first.
      handlers.onStatus({ status: 'live', attempt: 0, lastError: null, retryAt: null })
      handlers.onCommit(restock(7, 4), 'epochone1:7')
      handlers.onCommit(restock(8, 5), 'epochone1:8')
      handlers.onCommit(restock(9, 6), 'epochone1:9')
      expect(client.store.getState().position?.seq).toBe(6)
    })

    expect(seen).toEqual([
      ['closed', 1],
      ['closed', 3],
      ['live', 3],
      ['live', 6],
    ])
    expect(client.store.getState().position).toEqual({ epoch: 'epochone1', seq: 9 })
  })

  it('applies the commits delivered before a throwing batch, and none after it', () => {
    const fake = fakeConnect()
    const client = createShopClient({ baseUrl: 'http://shop.test', connect: fake.connect, timers })
    const handlers = fake.made.handlers
    handlers?.onSnapshot(snapshot, 'epochone1:4')
    const commit = { seq: 5, at: 0, actions: [] }
    expect(() =>
      handlers?.batch?.(() => {
        handlers.onCommit(commit, 'epochone1:5')
        throw new Error('parser bug')
      }),
    ).toThrow('parser bug')
    expect(client.store.getState().position?.seq).toBe(5)
    handlers?.onCommit({ ...commit, seq: 6 }, 'epochone1:6')
    expect(client.store.getState().position?.seq).toBe(6)
  })

  it('fails the stream on a commit it cannot apply, first on a resumed one, and resumes before it', async () => {
    const net = createFakeFetch()
    const client = createShopClient({
      baseUrl: 'http://shop.test',
      token: 'tok',
      fetch: net.fetch,
      random: () => 0.5,
    })
    const event = (seq: number, data: unknown): string =>
      `id: epochone1:${seq}\ndata: ${JSON.stringify(data)}\n\n`
    try {
      client.start()
      await waitUntil('the stream is asked for', () => net.calls.length === 1)
      const first = net.last().openStream()
      first.push(`retry: 10\n\nevent: snapshot\n${event(4, snapshot)}`)
      await waitUntil('the snapshot is applied', () => client.store.getState().position?.seq === 4)
      first.close()
      await waitUntil('the stream is asked for again', () => net.calls.length === 2)
      // The first event of the resumed stream proves it healthy (a status change) and is a
      // commit the reducer throws on: a `cart/line-set` without its payload.
      const poison = { seq: 5, at: 0, actions: [{ type: 'cart/line-set' }] }
      net
        .last()
        .openStream()
        .push(`retry: 10\n\n${event(5, poison)}`)
      await waitUntil(
        'the stream fails and is asked for again',
        () => net.calls.length === 3,
        2_000,
      )

      expect(client.connection.info.lastError?.code).toBe('handler')
      expect(client.store.getState().position?.seq).toBe(4)
      expect(net.last().headers.get('Last-Event-ID')).toBe('epochone1:4')
    } finally {
      client.stop()
    }
  })

  it('refuses to be built without a base URL, saying what to pass', () => {
    expect(() => createShopClient({} as never)).toThrow(/baseUrl must be a string/)
    expect(() => (createShopClient as (o?: unknown) => unknown)()).toThrow(
      /baseUrl must be a string/,
    )
  })

  it('refuses, in Node, a base URL that no request could reach, instead of retrying forever', () => {
    expect(globalThis).not.toHaveProperty('location')
    for (const baseUrl of ['', '127.0.0.1:8787', '/shop', 'http://']) {
      expect(() => createShopClient({ baseUrl }), baseUrl).toThrow(/must be an http\(s\) URL/)
    }
    // With a fetch of the caller's, '' or a path is that fetch's to resolve; no scheme is not.
    const fetch = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch
    expect(() => createShopClient({ baseUrl: '', fetch }).stop()).not.toThrow()
    expect(() => createShopClient({ baseUrl: '/shop', fetch }).stop()).not.toThrow()
    for (const baseUrl of ['127.0.0.1:8787', 'localhost:8787']) {
      expect(() => createShopClient({ baseUrl, fetch }), baseUrl).toThrow(/must be an http\(s\)/)
    }
    expect(() => createShopClient({ baseUrl: 'HTTP://127.0.0.1:8787/' }).stop()).not.toThrow()
  })

  it('refuses a retry count that is not a whole number, 0 or more', () => {
    for (const retries of [Number.NaN, -5, 1.5]) {
      expect(() => createShopClient({ baseUrl: 'http://127.0.0.1:8787', retries })).toThrow(
        /retries must be a whole number/,
      )
    }
  })
})
