// A real Shelfsync server on 127.0.0.1 for the SDK's integration tests, with the two things those
// tests need beyond tests/support/http-server.ts: a fixed port to come back on (a new server on
// the same address, as after a restart or a replaced database) and a way to cut every open
// connection from the server's side while it keeps running.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Snapshot } from '../../../src/actions/index.js'
import { createShelfsync, type ShelfsyncOptions } from '../../../src/server/index.js'
import { TEST_SECRET } from '../../support/server.js'

export interface LiveServer {
  shop: ReturnType<typeof createShelfsync>
  url: string
  port: number
  token(user: string): string
  /** `GET /api/snapshot` as `user`. */
  snapshotOf(user: string): Promise<Snapshot>
  /** Destroys every socket (streams and idle keep-alives); the server keeps listening. */
  dropConnections(): void
  /** Ends the streams, closes the database and stops listening. */
  stop(): Promise<void>
}

export const startServer = async (
  options: ShelfsyncOptions = {},
  port = 0,
): Promise<LiveServer> => {
  const shop = createShelfsync({
    db: ':memory:',
    demo: false,
    secret: TEST_SECRET,
    admins: ['admin'],
    // Clients come back within tens of ms after a stream ends, which keeps the tests fast.
    retryMs: { min: 20, max: 60 },
    ...options,
    limits: { rate: { perSecond: 1e9, burst: 1e9 }, ...options.limits },
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: shop.app.fetch, port, hostname: '127.0.0.1' }, () =>
      resolve(started),
    )
  })
  const closeAll = (): void =>
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
  const actualPort = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${actualPort}`
  return {
    shop,
    url,
    port: actualPort,
    token: (user) => shop.signToken(user),
    async snapshotOf(user) {
      const response = await fetch(`${url}/api/snapshot`, {
        headers: { Authorization: `Bearer ${shop.signToken(user)}` },
      })
      if (response.status !== 200) throw new Error(`snapshot answered ${response.status}`)
      return (await response.json()) as Snapshot
    },
    dropConnections: closeAll,
    async stop() {
      await shop.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        closeAll()
      })
    },
  }
}
