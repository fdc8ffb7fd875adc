// A fresh shop client per test with no network: a fake `connect` (the test feeds snapshots and
// commits by dispatching them) and a fake `fetch` whose answers the test scripts.
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import type { Action, Order, Product } from '../../../src/actions/index.js'
import type { ShopClient, SyncConnection } from '../../../src/store/index.js'
import { createShopClient } from '../../../src/store/index.js'
import { ShopProvider } from '../../../src/store/react.js'

export const EPOCH = 'testepoch01'

export interface Sent {
  method: string
  path: string
  body: unknown
  headers: Record<string, string>
}

/** What the fake server answers: a status and a JSON body (a problem for 4xx). */
export type Reply = { status: number; body: unknown }

export const ok = (body: unknown): Reply => ({ status: 200, body })
export const problem = (status: number, code: string, extra: object = {}): Reply => ({
  status,
  body: { type: 'about:blank', title: code, status, detail: code, code, ...extra },
})

export const product = (sku: string, fields: Partial<Product> = {}): Product => ({
  sku,
  title: sku,
  priceCents: 1000,
  onHand: 1,
  held: 0,
  version: 1,
  ...fields,
})

export const TICKET = product('front-row-ticket', {
  title: 'Front-row concert ticket',
  priceCents: 8900,
})

export interface Harness {
  client: ShopClient
  sent: Sent[]
  /** Answers the next requests, in order; a request with no answer left waits forever. */
  reply(...replies: Reply[]): void
  snapshot(data: {
    products?: Product[]
    cart?: { sku: string; qty: number; expiresAt: number }[]
    orders?: Order[]
    serverTime?: number
    receivedAt?: number
    seq?: number
  }): void
  commit(seq: number, actions: Action[]): void
  render(ui: ReactElement): ReturnType<typeof render>
}

export const createHarness = (user = 'customer-1', role: 'customer' | 'admin' = 'customer') => {
  const sent: Sent[] = []
  const replies: Reply[] = []
  const fakeFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const path = new URL(String(url)).pathname
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
    sent.push({ method: init?.method ?? 'GET', path, body, headers })
    const reply = replies.shift()
    if (reply === undefined) return new Promise<Response>(() => {})
    return new Response(JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'Content-Type': 'application/json' },
    })
  }
  const connection: SyncConnection = {
    start() {},
    stop() {},
    reconnect() {},
    info: { status: 'closed', attempt: 0, lastError: null, retryAt: null },
  }
  const client = createShopClient({
    baseUrl: 'http://shop.test',
    fetch: fakeFetch as typeof fetch,
    connect: () => connection,
    retries: 0,
  })
  client.dispatch({ type: 'session/changed', user, role })
  client.dispatch({
    type: 'sync/status-changed',
    info: { status: 'live', attempt: 0, lastError: null, retryAt: null },
  })

  const harness: Harness = {
    client,
    sent,
    reply: (...more) => {
      replies.push(...more)
    },
    snapshot: ({ products = [], cart = [], orders = [], serverTime, receivedAt, seq = 1 }) => {
      const now = Date.now()
      client.dispatch({
        type: 'sync/snapshot-received',
        id: `${EPOCH}:${seq}`,
        receivedAt: receivedAt ?? now,
        data: {
          epoch: EPOCH,
          seq,
          serverTime: serverTime ?? now,
          products,
          cart,
          orders,
          reason: 'initial',
        },
      })
    },
    commit: (seq, actions) =>
      client.dispatch({
        type: 'sync/commit-received',
        id: `${EPOCH}:${seq}`,
        commit: { seq, at: Date.now(), actions },
      }),
    render: (ui) => render(<ShopProvider client={client}>{ui}</ShopProvider>),
  }
  return harness
}
