// After a restart, many clients come back spread out in time, not all at once.
//
// Where the spread comes from (docs/protocol-notes.md, src/store/sync/backoff.ts):
// - SIGTERM: the server ends every stream with a fresh `retry:` drawn uniformly from [1 s, 5 s);
//   a healthy stream that ends cleanly waits exactly that long. So no client may come back
//   before 1 s, and arrivals are about uniform over 4 s: 2.5 % of them per 100 ms on average.
// - SIGKILL: no goodbye; each client waits random() × its first `retry:` (full jitter, 0–5 s),
//   and one that finds the server still down doubles its range.
// Either way a 100 ms window should hold a few percent of the clients (2.5 % on average for
// SIGTERM, about 4 % near the start for SIGKILL). The test allows 10 % (a herd without jitter puts
// all of them in one window) and asks the first-to-last spread to be at least 1 s (about 4 s is
// expected). It asserts on the times the clients planned (their backoff's `retryAt`): all 300 run
// in this one process, whose event-loop stalls would bunch the real sends; those are printed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signToken } from '../../src/server/index.js'
import { waitUntil } from '../support/wait-until.js'
import { expectExactlyOnce, readLog, waitForConvergence } from './support/checks.js'
import { type RecordedClient, startClient } from './support/clients.js'
import { type ServerControl, startServerProcess } from './support/server-control.js'

const CLIENTS = 300
const WINDOW_MS = 100
const MAX_WINDOW_SHARE = 0.1
const MIN_SPREAD_MS = 1000
const SECRET = 'restart-spread-secret-0123456789'

let dir: string
let file: string
let server: ServerControl | null = null
let clients: RecordedClient[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfsync-spread-'))
  file = join(dir, 'shop.db')
})
afterEach(async () => {
  for (const c of clients) c.stop()
  clients = []
  await server?.stop('SIGKILL')
  server = null
  rmSync(dir, { recursive: true, force: true })
})

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server?.url}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${signToken(SECRET, { user: 'admin' })}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  })
  expect(res.status, path).toBeLessThan(300)
}

/** The most arrivals inside any window of `ms`. */
const busiestWindow = (sorted: readonly number[], ms: number): number => {
  let best = 0
  let from = 0
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] as number) - (sorted[from] as number) >= ms) from++
    best = Math.max(best, to - from + 1)
  }
  return best
}

const histogram = (sorted: readonly number[], bucketMs: number): string => {
  const counts = new Map<number, number>()
  for (const t of sorted) {
    const bucket = Math.floor(t / bucketMs) * bucketMs
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1)
  }
  return [...counts]
    .map(([at, n]) => `  ${String(at).padStart(6)} ms ${'#'.repeat(Math.ceil(n / 2))} ${n}`)
    .join('\n')
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number

describe.each(['SIGTERM', 'SIGKILL'] as const)('a restart by %s', (signal) => {
  it(`brings ${CLIENTS} clients back spread out over time, and they all converge`, async () => {
    server = await startServerProcess({ SHELFSYNC_DB: file, SHELFSYNC_SECRET: SECRET })
    await post('/api/products', { sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 50 })
    const url = server.url
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(startClient({ baseUrl: url, user: `shopper-${i}`, secret: SECRET }))
    }
    await waitUntil(
      `${CLIENTS} clients are live`,
      () => clients.every((c) => c.client.store.getState().position !== null),
      20_000,
    )

    const { signalledAt: restartedAt, upAt } = await server.restart(signal)
    await waitUntil(
      'every client reconnected',
      () => clients.every((c) => c.liveAt.some((t) => t > restartedAt)),
      40_000,
      10,
    )
    const since = (t: number) => Math.round(t - restartedAt)
    const sorted = (values: number[]) => values.sort((a, b) => a - b)
    // The request that brought each client back: when its backoff planned it (the client's own
    // decision), and when it really left (later if this crowded process was busy).
    const reconnects = clients.map((c) => {
      const live = c.liveAt.find((t) => t > restartedAt) as number
      return c.connects.filter((r) => r.at <= live).at(-1) as { at: number; planned: number | null }
    })
    const planned = sorted(reconnects.map((r) => since(r.planned ?? r.at)))
    const sent = sorted(reconnects.map((r) => since(r.at)))
    const attempts = sorted(
      clients.flatMap((c) =>
        c.connects.filter((r) => r.at > restartedAt).map((r) => since(r.planned ?? r.at)),
      ),
    )
    const first = planned[0] as number
    const last = planned.at(-1) as number
    const busiest = busiestWindow(planned, WINDOW_MS)
    const busiestAttempts = busiestWindow(attempts, WINDOW_MS)
    const busiestSent = busiestWindow(sent, WINDOW_MS)
    const share = (n: number) => `${n} (${((100 * n) / CLIENTS).toFixed(1)} %)`
    console.log(
      `${signal}: server down ${upAt - restartedAt} ms. ${CLIENTS} reconnections, ms after the signal:\n` +
        `  planned min ${first} / p50 ${quantile(planned, 0.5)} / p90 ${quantile(planned, 0.9)} / max ${last}; ` +
        `busiest ${WINDOW_MS} ms ${share(busiest)}; ${attempts.length} attempts, busiest ${share(busiestAttempts)}\n` +
        `  sent    min ${sent[0]} / p50 ${quantile(sent, 0.5)} / p90 ${quantile(sent, 0.9)} / max ${sent.at(-1)}; ` +
        `busiest ${WINDOW_MS} ms ${share(busiestSent)} (one test process runs all ${CLIENTS}: its stalls bunch them)\n` +
        histogram(planned, 500),
    )

    expect(busiest).toBeLessThanOrEqual(CLIENTS * MAX_WINDOW_SHARE)
    expect(busiestAttempts).toBeLessThanOrEqual(CLIENTS * MAX_WINDOW_SHARE)
    expect(last - first).toBeGreaterThanOrEqual(MIN_SPREAD_MS)
    // A graceful stop hands every client at least the smallest retry hint (1 s).
    if (signal === 'SIGTERM') expect(first).toBeGreaterThanOrEqual(1000)

    await post('/api/products/tee/restock', { qty: 1 })
    await waitForConvergence(clients, url, SECRET, 20_000)
    const log = readLog(file)
    for (const c of clients) {
      expectExactlyOnce(c, log)
      expect(
        c.deliveries.filter((d) => d.kind === 'snapshot'),
        c.user,
      ).toHaveLength(1)
    }
  }, 90_000)
})
