// A real Shelfsync server on 127.0.0.1 for the SDK's integration tests: tests/support/http-server.ts
// with short `retry:` hints (clients come back within tens of ms, which keeps the tests fast),
// a token per user and the server's own snapshot to compare a client with.
import type { Snapshot } from '../../../src/actions/index.js'
import type { ShelfsyncOptions } from '../../../src/server/index.js'
import { type HttpTestServer, startHttpServer } from '../../support/http-server.js'

export interface LiveServer extends HttpTestServer {
  token(user: string): string
  /** `GET /api/snapshot` as `user`. */
  snapshotOf(user: string): Promise<Snapshot>
}

/** `port` 0 picks a free one; pass an earlier server's port to come back on the same address. */
export const startServer = async (
  options: ShelfsyncOptions = {},
  port = 0,
): Promise<LiveServer> => {
  const server = await startHttpServer({ retryMs: { min: 20, max: 60 }, ...options }, port)
  return {
    ...server,
    token: (user) => server.shop.signToken(user),
    async snapshotOf(user) {
      const response = await server.fetchAs(user, '/api/snapshot')
      if (response.status !== 200) throw new Error(`snapshot answered ${response.status}`)
      return (await response.json()) as Snapshot
    },
  }
}
