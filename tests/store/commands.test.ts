import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ClientAction } from '../../src/store/client-actions.js'
import { createCommands } from '../../src/store/commands.js'
import { createHttp } from '../../src/store/http.js'
import { createIdMaker } from '../../src/store/ids.js'
import { realTimers } from '../../src/store/sync/index.js'

interface Call {
  url: string
  method: string | undefined
  headers: Record<string, string>
  body: unknown
  credentials: RequestCredentials | undefined
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json',
      ...headers,
    },
  })
const problem = (status: number, code: string) => ({
  type: 'about:blank',
  title: 'x',
  status,
  detail: `detail of ${code}`,
  code,
})

/** A fetch that answers from a script, one entry per call, and records every call. */
const scriptedFetch = (script: Array<Response | Error>) => {
  const calls: Call[] = []
  const fetch = (async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method,
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
      credentials: init.credentials,
    })
    const next = script.shift()
    if (next === undefined) throw new Error('the test script has no more answers')
    if (next instanceof Error) throw next
    return next
  }) as typeof globalThis.fetch
  return { fetch, calls }
}

const setup = (
  script: Array<Response | Error>,
  token: string | null | (() => string | null) = 'tok',
) => {
  const { fetch, calls } = scriptedFetch(script)
  const actions: ClientAction[] = []
  const http = createHttp({
    baseUrl: 'http://shop.test',
    fetch,
    getToken: typeof token === 'function' ? token : () => token,
    timers: realTimers,
    random: () => 0.5,
    backoff: { baseMs: 100, capMs: 1_000 },
  })
  const commands = createCommands({
    http,
    dispatch: (action) => actions.push(action),
    newId: createIdMaker(() => 0.25),
  })
  return { commands, calls, actions }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('cart commands', () => {
  it('puts the quantity with an idempotency key and bearer token, then acknowledges its seq', async () => {
    const line = { sku: 'tee', qty: 2, expiresAt: 99 }
    const { commands, calls, actions } = setup([json(200, { seq: 7, line })])
    const result = await commands.setCartQty('tee', 2)

    expect(result).toEqual({ ok: true, value: { seq: 7, line }, replayed: false })
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({
      url: 'http://shop.test/api/cart/lines/tee',
      method: 'PUT',
      body: { qty: 2 },
      headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json' },
    })
    const key = calls[0]?.headers['Idempotency-Key']
    expect(key).toMatch(/^c1-[0-9a-z]{16}$/)
    expect(actions).toEqual([
      { type: 'command/sent', command: { kind: 'cart/set', sku: 'tee', qty: 2, id: key } },
      { type: 'command/acknowledged', id: key, seq: 7 },
    ])
  })

  it('sends cookies instead when there is no token', async () => {
    const { commands, calls } = setup([json(200, { seq: 3 })], null)
    await commands.removeFromCart('tee')
    expect(calls[0]?.method).toBe('DELETE')
    expect(calls[0]?.credentials).toBe('include')
    expect(calls[0]?.headers.Authorization).toBeUndefined()
  })

  it('retries a network error and a 503 with the same idempotency key', async () => {
    const { commands, calls, actions } = setup([
      new TypeError('fetch failed'),
      json(503, problem(503, 'server/unavailable')),
      json(200, { seq: 9 }, { 'Idempotent-Replayed': 'true' }),
    ])
    const pending = commands.removeFromCart('tee')
    await vi.runAllTimersAsync()
    const result = await pending

    expect(result).toEqual({ ok: true, value: { seq: 9 }, replayed: true })
    expect(calls).toHaveLength(3)
    const keys = new Set(calls.map((call) => call.headers['Idempotency-Key']))
    expect(keys.size).toBe(1)
    expect(actions.map((action) => action.type)).toEqual(['command/sent', 'command/acknowledged'])
  })

  it('retries under the token it was sent with, though another user signed in meanwhile', async () => {
    let token = 'tok-ann'
    const { commands, calls } = setup(
      [
        json(503, problem(503, 'server/unavailable')),
        json(200, { seq: 5, line: null }),
        json(200, { seq: 6, line: null }),
      ],
      () => token,
    )
    const pending = commands.setCartQty('tee', 0)
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(1) // the first try failed; the retry waits its backoff
    token = 'tok-bob'
    await vi.runAllTimersAsync()
    expect((await pending).ok).toBe(true)
    await commands.setCartQty('tee', 0)

    expect(calls.map((call) => call.headers.Authorization)).toEqual([
      'Bearer tok-ann',
      'Bearer tok-ann',
      'Bearer tok-bob',
    ])
  })

  it('refuses a command, and rolls it back, when reading the token throws', async () => {
    const { commands, calls, actions } = setup([], () => {
      throw new Error('storage is disabled')
    })
    const result = await commands.setCartQty('tee', 1)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problem).toMatchObject({ code: 'auth/required', status: 401 })
    expect(!result.ok && result.problem.detail).toContain('storage is disabled')
    expect(calls).toEqual([])
    expect(actions.map((action) => action.type)).toEqual(['command/sent', 'command/refused'])
  })

  it('tries again while the first try with the same key is still in flight', async () => {
    const { commands, calls } = setup([
      json(409, problem(409, 'request/in-flight')),
      json(200, { seq: 5, line: null }, { 'Idempotent-Replayed': 'true' }),
    ])
    const pending = commands.setCartQty('tee', 0)
    await vi.runAllTimersAsync()
    expect(await pending).toEqual({ ok: true, value: { seq: 5, line: null }, replayed: true })
    expect(calls[0]?.headers['Idempotency-Key']).toBe(calls[1]?.headers['Idempotency-Key'])
  })

  it('tries a 408 (the body reached the server too slowly) again with the same key', async () => {
    const { commands, calls } = setup([
      json(408, problem(408, 'request/timeout')),
      json(200, { seq: 6, line: null }),
    ])
    const pending = commands.setCartQty('tee', 0)
    await vi.runAllTimersAsync()
    expect(await pending).toEqual({ ok: true, value: { seq: 6, line: null }, replayed: false })
    expect(calls).toHaveLength(2)
    expect(calls[0]?.headers['Idempotency-Key']).toBe(calls[1]?.headers['Idempotency-Key'])
  })

  it('waits the Retry-After of a 429 before trying again', async () => {
    const { commands, calls } = setup([
      json(429, problem(429, 'limit/rate'), { 'Retry-After': '3' }),
      json(200, { seq: 4, line: null }),
    ])
    const pending = commands.setCartQty('tee', 0)
    await vi.advanceTimersByTimeAsync(2_999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    expect((await pending).ok).toBe(true)
  })

  it('refuses at once on a 409, without retrying, and reports the server’s problem', async () => {
    const body = { ...problem(409, 'stock/insufficient'), available: 0 }
    const { commands, calls, actions } = setup([json(409, body)])
    const result = await commands.setCartQty('tee', 1)

    expect(calls).toHaveLength(1)
    expect(result).toEqual({ ok: false, problem: body })
    expect(actions[1]).toEqual({ type: 'command/refused', id: expect.any(String), problem: body })
  })

  it('gives up after a bounded number of retries and refuses the command', async () => {
    const failures = Array.from({ length: 10 }, () => json(500, { oops: true }))
    const { commands, calls, actions } = setup(failures)
    const pending = commands.setCartQty('tee', 1)
    await vi.runAllTimersAsync()
    const result = await pending

    expect(calls).toHaveLength(4)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problem.code).toBe('server/internal')
    expect(actions.at(-1)?.type).toBe('command/refused')
  })

  it('does not wait for a Retry-After longer than it allows', async () => {
    const { commands, calls } = setup([
      json(429, problem(429, 'limit/rate'), { 'Retry-After': '3600' }),
    ])
    const result = await commands.setCartQty('tee', 1)
    expect(calls).toHaveLength(1)
    expect(!result.ok && result.problem.code).toBe('limit/rate')
  })

  it('refuses a quantity out of range without sending or showing anything', async () => {
    const { commands, calls, actions } = setup([])
    const result = await commands.setCartQty('tee', 100)
    expect(!result.ok && result.problem.code).toBe('request/invalid')
    // A number read from a form is still a string: the detail says so.
    const text = await commands.setCartQty('tee', '2' as unknown as number)
    expect(!text.ok && text.problem.detail).toBe(
      'qty must be a whole number from 0 to 99, not the string "2"',
    )
    expect(calls).toEqual([])
    expect(actions).toEqual([])
  })

  it('refuses a sku no URL can name (".", "..", a space) without sending or showing anything', async () => {
    const { commands, calls, actions } = setup([])
    for (const sku of ['.', '..', 'a b', '']) {
      const set = await commands.setCartQty(sku, 1)
      expect(!set.ok && set.problem.code, sku).toBe('request/invalid')
      const removed = await commands.removeFromCart(sku)
      expect(!removed.ok && removed.problem.code, sku).toBe('request/invalid')
    }
    expect(calls).toEqual([])
    expect(actions).toEqual([])
  })
})

describe('order commands', () => {
  const order = {
    id: 'ord_k3v9q2xw0a1b',
    status: 'pending',
    lines: [{ sku: 'tee', qty: 1, priceCents: 100 }],
    totalCents: 100,
    expiresAt: 9,
  }

  it('checks out with a POST and no body, pending at once, then acknowledged', async () => {
    const { commands, calls, actions } = setup([json(201, { seq: 12, order })])
    const result = await commands.checkout()
    expect(result).toEqual({ ok: true, value: { seq: 12, order }, replayed: false })
    expect(calls[0]).toMatchObject({ url: 'http://shop.test/api/checkout', method: 'POST' })
    expect(calls[0]?.body).toBeUndefined()
    const key = calls[0]?.headers['Idempotency-Key']
    expect(actions).toEqual([
      { type: 'command/sent', command: { kind: 'order/checkout', id: key } },
      { type: 'command/acknowledged', id: key, seq: 12 },
    ])
  })

  it('pays and cancels on the order’s own paths, retrying with the same key', async () => {
    const { commands, calls, actions } = setup([
      new TypeError('fetch failed'),
      json(200, { seq: 13, order: { ...order, status: 'paid' } }),
      json(409, problem(409, 'order/not-pending')),
    ])
    const paying = commands.payOrder(order.id)
    await vi.runAllTimersAsync()
    expect((await paying).ok).toBe(true)
    const cancelled = await commands.cancelOrder(order.id)
    expect(!cancelled.ok && cancelled.problem.code).toBe('order/not-pending')

    expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
      'POST http://shop.test/api/orders/ord_k3v9q2xw0a1b/pay',
      'POST http://shop.test/api/orders/ord_k3v9q2xw0a1b/pay',
      'POST http://shop.test/api/orders/ord_k3v9q2xw0a1b/cancel',
    ])
    expect(calls[0]?.headers['Idempotency-Key']).toBe(calls[1]?.headers['Idempotency-Key'])
    expect(actions.map((action) => action.type)).toEqual([
      'command/sent',
      'command/acknowledged',
      'command/sent',
      'command/refused',
    ])
    expect(actions[2]).toMatchObject({ command: { kind: 'order/cancel', orderId: order.id } })
  })

  it('refuses an id that cannot be an order without sending or showing anything', async () => {
    const { commands, calls, actions } = setup([])
    const result = await commands.payOrder('../products/tee')
    expect(!result.ok && result.problem.code).toBe('request/invalid')
    expect(calls).toEqual([])
    expect(actions).toEqual([])
  })
})

describe('admin commands', () => {
  it('patches with If-Match naming the version, and does not touch the store', async () => {
    const product = { sku: 'tee', title: 'T', priceCents: 1, onHand: 1, held: 0, version: 4 }
    const { commands, calls, actions } = setup([json(200, { seq: 5, product })])
    const result = await commands.patchProduct('tee', { title: 'T' }, { version: 3 })
    expect(result.ok).toBe(true)
    expect(calls[0]).toMatchObject({
      method: 'PATCH',
      url: 'http://shop.test/api/products/tee',
      headers: { 'If-Match': '"3"' },
      body: { title: 'T' },
    })
    expect(calls[0]?.headers['Idempotency-Key']).toBeTypeOf('string')
    expect(actions).toEqual([])
  })

  it('creates, restocks and deletes on the protocol’s paths', async () => {
    const { commands, calls } = setup([json(201, {}), json(200, {}), json(200, {})])
    await commands.createProduct({ sku: 'mug', title: 'Mug', priceCents: 900, onHand: 3 })
    await commands.restock('mug', 10)
    await commands.deleteProduct('mug')
    expect(
      calls.map(
        (call) =>
          `${call.method} ${call.url.slice('http://shop.test'.length)} ${JSON.stringify(call.body)}`,
      ),
    ).toEqual([
      'POST /api/products {"sku":"mug","title":"Mug","priceCents":900,"onHand":3}',
      'POST /api/products/mug/restock {"qty":10}',
      'DELETE /api/products/mug undefined',
    ])
  })

  it('reports a 412 version mismatch as final', async () => {
    const { commands, calls } = setup([json(412, problem(412, 'product/version-mismatch'))])
    const result = await commands.patchProduct('tee', { onHand: 3 }, { version: 1 })
    expect(calls).toHaveLength(1)
    expect(!result.ok && result.problem.code).toBe('product/version-mismatch')
  })
})

describe('answers without a seq', () => {
  it('rolls the command back rather than leaving it pending for ever', async () => {
    const { commands, actions } = setup([json(200, { line: null })])
    const result = await commands.setCartQty('tee', 1)
    expect(!result.ok && result.problem.code).toBe('server/internal')
    expect(actions.at(-1)?.type).toBe('command/refused')
  })
})
