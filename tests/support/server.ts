// A Shelfsync server on an in-memory database with a manual clock, and a small API client.
import type { Product } from '../../src/actions/index.js'
import { createShelfsync, type ShelfsyncOptions } from '../../src/server/index.js'
import { createManualClock } from './clock.js'
import { NO_RATE_LIMITS } from './no-rate-limits.js'

export const TEST_SECRET = 'test-secret-of-at-least-16-chars'

export const createTestServer = (options: ShelfsyncOptions = {}) => {
  const clock = createManualClock()
  const shop = createShelfsync({
    db: ':memory:',
    demo: false,
    secret: TEST_SECRET,
    admins: ['admin'],
    clock,
    ...options,
    limits: { ...NO_RATE_LIMITS, ...options.limits },
  })
  return { shop, clock, as: (user: string) => apiAs(shop.app, shop.signToken(user)) }
}

/** Answers are read as loose JSON: tests assert on their shape. */
// biome-ignore lint/suspicious/noExplicitAny: test answers are asserted, not trusted
type Json = any

export interface ApiAnswer<T = unknown> {
  status: number
  body: T
  headers: Headers
}

type Fetcher = { request: (path: string, init?: RequestInit) => Response | Promise<Response> }

/** Calls the API as the holder of `token` (bearer). */
export const apiAs = (app: Fetcher, token: string) => {
  const call = async <T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> => {
    const init: RequestInit = {
      method,
      headers: { Authorization: `Bearer ${token}`, ...headers },
    }
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body)
      ;(init.headers as Record<string, string>)['Content-Type'] ??= 'application/json'
    }
    const response = await app.request(path, init)
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {}
    return { status: response.status, body: parsed as T, headers: response.headers }
  }
  return {
    token,
    get: <T = Json>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    post: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    put: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body, headers),
    patch: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body, headers),
    delete: <T = Json>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
    /** Opens the event stream (through app.request) with optional headers. */
    events: (query = '', headers: Record<string, string> = {}, signal?: AbortSignal) =>
      app.request(`/api/events${query}`, {
        headers: { Authorization: `Bearer ${token}`, ...headers },
        ...(signal ? { signal } : {}),
      }),
  }
}

export type Api = ReturnType<typeof apiAs>

export const createProduct = (admin: Api, sku: string, onHand: number, priceCents = 1000) =>
  admin.post<{ seq: number; product: Product }>('/api/products', {
    sku,
    title: `Product ${sku}`,
    priceCents,
    onHand,
  })
