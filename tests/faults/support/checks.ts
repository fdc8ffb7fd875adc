// What the fault tests assert: a client's store equals `GET /api/snapshot` for its user, every
// commit meant for it arrived exactly once and in order, and the stock invariants hold in the
// server's SQLite file.
import Database from 'better-sqlite3'
import { expect } from 'vitest'
import { type Action, type Snapshot, visibleTo } from '../../../src/actions/index.js'
import { signToken } from '../../../src/server/index.js'
import type { ShopData } from '../../../src/store/index.js'
import type { RecordedClient } from './clients.js'

export const fetchSnapshot = async (
  url: string,
  secret: string,
  user: string,
): Promise<Snapshot> => {
  const res = await fetch(`${url}/api/snapshot`, {
    headers: { Authorization: `Bearer ${signToken(secret, { user })}` },
  })
  if (res.status !== 200) throw new Error(`GET /api/snapshot as ${user} answered ${res.status}`)
  return (await res.json()) as Snapshot
}

/** A snapshot in the store's shape (keyed, products with `available`), without serverTime. */
export const dataOfSnapshot = (snapshot: Snapshot): ShopData => ({
  products: Object.fromEntries(
    snapshot.products.map((p) => [p.sku, { ...p, available: Math.max(0, p.onHand - p.held) }]),
  ),
  cart: Object.fromEntries(
    snapshot.cart.map(({ sku, qty, expiresAt }) => [sku, { sku, qty, expiresAt }]),
  ),
  orders: Object.fromEntries(snapshot.orders.map((o) => [o.id, o])),
})

/** What a client shows, to compare with its snapshot: nothing pending, confirmed = view. */
const observed = (recorded: RecordedClient) => {
  const state = recorded.client.store.getState()
  return {
    status: state.connection.status,
    epoch: state.position?.epoch ?? null,
    pending: Object.keys(state.pending).length,
    confirmed: state.confirmed,
    view: state.view,
  }
}

/** The connection's state in words, for a failure message: attempt, last error, next try. */
const whereConnectionIs = (recorded: RecordedClient): string => {
  const { status, attempt, lastError, retryAt } = recorded.client.store.getState().connection
  const next = retryAt === null ? '' : `; next try in ${Math.max(0, retryAt - Date.now())} ms`
  const lastLive = recorded.liveAt.at(-1) ?? 0
  const since = recorded.errors.filter((e) => e.at >= lastLive).map((e) => e.code)
  return (
    `${status}, attempt ${attempt}; errors since it was last live: ${since.join(', ') || 'none'}` +
    `; last: ${lastError ? `${lastError.code}: ${lastError.message}` : 'none'}${next}`
  )
}

const expected = (snapshot: Snapshot) => {
  const data = dataOfSnapshot(snapshot)
  return { status: 'live', epoch: snapshot.epoch, pending: 0, confirmed: data, view: data }
}

/**
 * Waits until every client is live, has nothing pending and holds exactly its user's snapshot,
 * read from `url` (the server itself, not through the proxy), all of them in one pass: a client
 * that matched once and then dropped its stream (a late cut, a watchdog on a busy machine) must
 * match again. On timeout, fails with the diff of the first that did not.
 */
export const waitForConvergence = async (
  clients: readonly RecordedClient[],
  url: string,
  secret: string,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let behind: { recorded: RecordedClient; snapshot: Snapshot } | null = null
    for (const recorded of clients) {
      const snapshot = await fetchSnapshot(url, secret, recorded.user)
      const now = observed(recorded)
      if (JSON.stringify(sorted(now)) !== JSON.stringify(sorted(expected(snapshot)))) {
        behind = { recorded, snapshot }
        break
      }
    }
    if (behind === null) return
    if (Date.now() > deadline) {
      const { recorded, snapshot } = behind
      const failure = `${recorded.user} did not converge in ${timeoutMs} ms (${whereConnectionIs(recorded)})`
      expect(observed(recorded), failure).toEqual(expected(snapshot))
      throw new Error(failure)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const sorted = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, sorted(v)]),
      )
    : Array.isArray(value)
      ? value.map(sorted)
      : value

export interface LogEntry {
  seq: number
  actions: Action[]
}

/** The whole commit log of a database file (read-only; the server may keep running). */
export const readLog = (file: string): LogEntry[] => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare('SELECT seq, actions FROM commits ORDER BY seq').all() as {
      seq: number
      actions: string
    }[]
    return rows.map((row) => ({ seq: row.seq, actions: JSON.parse(row.actions) as Action[] }))
  } finally {
    db.close()
  }
}

/**
 * Checks a client's deliveries against the log: after each snapshot, the commits it got are
 * exactly the log's commits it may see (protocol §stream 5), each once, in order, with the
 * actions meant for it, up to now. Returns how many commits it applied.
 */
export const expectExactlyOnce = (recorded: RecordedClient, log: readonly LogEntry[]): number => {
  const visible = log
    .map((entry) => ({ seq: entry.seq, actions: visibleTo(entry.actions, recorded.user) }))
    .filter((entry) => entry.actions.length > 0)
  const bySeq = new Map(visible.map((entry) => [entry.seq, entry]))
  let position: number | null = null
  let epoch: string | null = null
  let applied = 0
  const where = () => `${recorded.user}, after position ${epoch}:${position}`
  for (const delivery of recorded.deliveries) {
    if (delivery.kind === 'snapshot') {
      if (epoch === delivery.epoch && position !== null) {
        expect(delivery.seq, `${where()}: a snapshot went back in time`).toBeGreaterThanOrEqual(
          position,
        )
      }
      epoch = delivery.epoch
      position = delivery.seq
      continue
    }
    expect(position, `${recorded.user}: a commit before any snapshot`).not.toBeNull()
    expect(delivery.epoch, where()).toBe(epoch)
    const start = position as number
    // The next commit it may see after its position, and nothing else, is what must come.
    const next = visible.find((entry) => entry.seq > start)
    expect(delivery.seq, `${where()}: commit ${delivery.seq} is a replay or skips one`).toBe(
      next?.seq,
    )
    expect(delivery.actions, `${where()}: the actions of commit ${delivery.seq}`).toEqual(
      bySeq.get(delivery.seq)?.actions,
    )
    position = delivery.seq
    applied++
  }
  const missing = visible.filter((entry) => position === null || entry.seq > position)
  expect(
    missing.map((e) => e.seq),
    `${recorded.user}: commits never delivered`,
  ).toEqual([])
  return applied
}

/**
 * The stock invariants in the database file: 0 ≤ held ≤ onHand, and held equals the units in
 * cart lines plus the units of pending orders, for every product. Returns the violations.
 */
export const stockViolations = (file: string): string[] => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const rows = db
      .prepare(
        `SELECT p.sku, p.on_hand AS onHand, p.held,
           (SELECT coalesce(sum(qty), 0) FROM cart_lines c WHERE c.sku = p.sku) AS carts,
           (SELECT coalesce(sum(l.qty), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE l.sku = p.sku AND o.status = 'pending') AS pending
         FROM products p ORDER BY p.sku`,
      )
      .all() as { sku: string; onHand: number; held: number; carts: number; pending: number }[]
    const orphans = db
      .prepare('SELECT user, sku FROM cart_lines WHERE sku NOT IN (SELECT sku FROM products)')
      .all() as { user: string; sku: string }[]
    return [
      ...rows.flatMap((r) => [
        ...(r.held < 0 || r.held > r.onHand
          ? [`${r.sku}: held ${r.held}, onHand ${r.onHand}`]
          : []),
        ...(r.held !== r.carts + r.pending
          ? [`${r.sku}: held ${r.held} ≠ carts ${r.carts} + pending orders ${r.pending}`]
          : []),
      ]),
      ...orphans.map((o) => `cart line ${o.user}/${o.sku} of a product that does not exist`),
    ]
  } finally {
    db.close()
  }
}
