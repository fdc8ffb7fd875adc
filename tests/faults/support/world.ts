// The world of the whole-system test: a server process on a fresh SQLite file, the TCP proxy in
// front of it, an admin and three customers on the real SDK through the proxy. `settle()` waits
// for quiescence and checks everything a run must leave true.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect } from 'vitest'
import { signToken } from '../../../src/server/index.js'
import { verifyDb } from '../../../src/server/verify.js'
import { WATCHDOG_HEARTBEATS } from '../../../src/store/sync/index.js'
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js'
import {
  expectExactlyOnce,
  fetchSnapshot,
  readLog,
  stockViolations,
  waitForConvergence,
} from './checks.js'
import { type RecordedClient, startClient } from './clients.js'
import { type ServerControl, startServerProcess } from './server-control.js'
import { CUSTOMERS, type Customer, expectServerMatches, type ShopModel } from './shop-model.js'

export const SECRET = 'whole-system-secret-0123456789'
export const HEARTBEAT_MS = 200
export const WATCHDOG_MS = WATCHDOG_HEARTBEATS * HEARTBEAT_MS
/** The clients' longest wait between reconnection attempts, well inside `settle`'s 20 s. */
export const BACKOFF_CAP_MS = 2_000

export interface Tally {
  runs: number
  commands: number
  cuts: number
  stalls: number
  delays: number
  restarts: number
  /** Reconnections of all clients (a `live` after the first). */
  reconnects: number
  /** Commits applied by all clients, each checked against the log. */
  applied: number
}

export const emptyTally = (): Tally => ({
  runs: 0,
  commands: 0,
  cuts: 0,
  stalls: 0,
  delays: 0,
  restarts: 0,
  reconnects: 0,
  applied: 0,
})

export interface World {
  file: string
  server: ServerControl
  proxy: TcpProxy
  admin: RecordedClient
  customers: Record<Customer, RecordedClient>
  all: RecordedClient[]
  tally: Tally
  /** Waits until every client holds the server's state, then checks the run's promises. */
  settle(model: ShopModel): Promise<void>
  dispose(): Promise<void>
}

/** Starts a world whose catalog is `catalog` (sku → onHand), everyone converged on it. */
export const createWorld = async (
  catalog: Record<string, number>,
  tally: Tally,
): Promise<World> => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfsync-world-'))
  const file = join(dir, 'shop.db')
  let server: ServerControl | null = null
  let proxy: TcpProxy | null = null
  const all: RecordedClient[] = []
  const dispose = async () => {
    for (const c of all) c.stop()
    tally.cuts += proxy?.faults.cut ?? 0
    tally.stalls += proxy?.faults.stall ?? 0
    tally.delays += proxy?.faults.delay ?? 0
    await proxy?.close()
    await server?.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    server = await startServerProcess({
      SHELFSYNC_DB: file,
      SHELFSYNC_SECRET: SECRET,
      SHELFSYNC_HEARTBEAT_MS: String(HEARTBEAT_MS),
      SHELFSYNC_TEST_RETRY_MS: '50,250',
    })
    const direct = server.url
    for (const [sku, onHand] of Object.entries(catalog)) {
      const res = await fetch(`${direct}/api/products`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${signToken(SECRET, { user: 'admin' })}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          sku,
          title: `Product ${sku}`,
          priceCents: 100 * onHand + 99,
          onHand,
        }),
      })
      expect(res.status).toBe(201)
    }
    proxy = await startTcpProxy(server.port)
    const through = proxy.url
    const start = (user: string) => {
      const c = startClient({
        baseUrl: through,
        user,
        secret: SECRET,
        heartbeatMs: HEARTBEAT_MS,
        // A run can cut every connection for many seconds; with the default 30 s cap, a client
        // that failed all through it may still be waiting out its backoff when `settle` gives
        // it 20 s. The rule itself is tested in tests/store/sync/backoff.test.ts; here it only
        // has to try again soon after the faults end.
        backoff: { capMs: BACKOFF_CAP_MS },
      })
      all.push(c)
      return c
    }
    const admin = start('admin')
    const customers = Object.fromEntries(CUSTOMERS.map((u) => [u, start(u)])) as Record<
      Customer,
      RecordedClient
    >
    await waitForConvergence(all, direct, SECRET)
    const world: World = {
      file,
      server,
      proxy,
      admin,
      customers,
      all,
      tally,
      async settle(model) {
        // Once quiet means no fault left behind: a cut armed by a step may not strike later.
        proxy?.disarm()
        proxy?.resume()
        await waitForConvergence(all, direct, SECRET, 20_000)
        const log = readLog(file)
        for (const c of all) tally.applied += expectExactlyOnce(c, log)
        for (const c of all) tally.reconnects += Math.max(0, c.liveAt.length - 1)
        expect(stockViolations(file)).toEqual([])
        const db = new Database(file, { readonly: true })
        try {
          expect(verifyDb(db).differences).toEqual([])
        } finally {
          db.close()
        }
        const snapshots = Object.fromEntries(
          await Promise.all(
            CUSTOMERS.map(async (u) => [u, await fetchSnapshot(direct, SECRET, u)]),
          ),
        )
        expectServerMatches(model, await fetchSnapshot(direct, SECRET, 'admin'), snapshots)
      },
      dispose,
    }
    return world
  } catch (error) {
    await dispose()
    throw error
  }
}
