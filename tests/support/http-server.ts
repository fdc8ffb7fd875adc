// A Shelfsync server on a real HTTP socket (127.0.0.1, a free port) for tests over the network.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createShelfsync, type ShelfsyncOptions } from '../../src/server/index.js'
import { NO_RATE_LIMITS } from './no-rate-limits.js'
import { TEST_SECRET } from './server.js'

export interface HttpTestServer {
  shop: ReturnType<typeof createShelfsync>
  url: string
  port: number
  /** Authenticated fetch as `user` (bearer token). */
  fetchAs(user: string, path: string, init?: RequestInit): Promise<Response>
  /** Destroys every socket (streams and idle keep-alives); the server keeps listening. */
  dropConnections(): void
  /** Stops accepting, ends streams and closes the database. */
  stop(): Promise<void>
}

export const startHttpServer = async (
  options: ShelfsyncOptions = {},
  port = 0,
): Promise<HttpTestServer> => {
  const shop = createShelfsync({
    db: ':memory:',
    demo: false,
    secret: TEST_SECRET,
    admins: ['admin'],
    ...options,
    limits: { ...NO_RATE_LIMITS, ...options.limits },
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: shop.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const dropConnections = (): void =>
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
  const actualPort = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${actualPort}`
  return {
    shop,
    url,
    port: actualPort,
    fetchAs(user, path, init = {}) {
      const headers = new Headers(init.headers)
      headers.set('Authorization', `Bearer ${shop.signToken(user)}`)
      if (init.body !== undefined && !headers.has('Content-Type'))
        headers.set('Content-Type', 'application/json')
      return fetch(`${url}${path}`, { ...init, headers })
    },
    dropConnections,
    async stop() {
      await shop.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        dropConnections()
      })
    },
  }
}
