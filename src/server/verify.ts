// Replays the commit log (from the retained base, where it was compacted) and compares the
// result with the tables. Any difference means the outbox and the rows disagree.
import type { Action } from '../actions/index.js'
import { canonicalJson } from './canonical-json.js'
import type { Db } from './db/open.js'
import { createRows } from './db/rows.js'
import { applyCommit, emptyReplayState, type ReplayState } from './replay.js'

export interface VerifyReport {
  ok: boolean
  /** The seq the replay started from (0 = the beginning). */
  baseSeq: number
  commitsReplayed: number
  head: number
  counts: { products: number; lines: number; orders: number }
  differences: string[]
}

const PAGE = 2_000

const readBase = (db: Db): ReplayState => {
  const row = db.prepare('SELECT seq, state FROM log_base WHERE id = 1').get() as
    | { seq: number; state: string }
    | undefined
  return row ? { ...(JSON.parse(row.state) as ReplayState), seq: row.seq } : emptyReplayState()
}

/**
 * The tables, with the orders the replay can speak of: those placed after the base, those the
 * base holds (pending when it was saved), and every order the tables call pending (the base must
 * hold it, or the log place it). An order settled before the base is in neither.
 */
const readTables = (
  db: Db,
  rows: ReturnType<typeof createRows>,
  base: { seq: number; orderIds: ReadonlySet<string> },
): ReplayState => {
  const state = emptyReplayState()
  for (const product of rows.products.all()) state.products[product.sku] = product
  const lines = db
    .prepare('SELECT user, sku, qty, expires_at AS expiresAt FROM cart_lines')
    .all() as ReplayState['lines'][string][]
  for (const line of lines) state.lines[`${line.user}/${line.sku}`] = line
  const users = db.prepare('SELECT DISTINCT user FROM orders').pluck().all() as string[]
  const placedSince = new Set(
    db.prepare('SELECT id FROM orders WHERE seq > ?').pluck().all(base.seq) as string[],
  )
  for (const user of users) {
    for (const order of rows.orders.ofUser(user)) {
      const speaksOf =
        order.status === 'pending' || placedSince.has(order.id) || base.orderIds.has(order.id)
      if (speaksOf) state.orders[order.id] = order
    }
  }
  return state
}

const compare = (
  what: string,
  replayed: Record<string, unknown>,
  stored: Record<string, unknown>,
  differences: string[],
) => {
  for (const key of new Set([...Object.keys(replayed), ...Object.keys(stored)])) {
    const a = replayed[key]
    const b = stored[key]
    if (a === undefined) differences.push(`${what} ${key}: in the tables, not in the log`)
    else if (b === undefined) differences.push(`${what} ${key}: in the log, not in the tables`)
    else if (canonicalJson(a) !== canonicalJson(b)) {
      differences.push(
        `${what} ${key}: log says ${canonicalJson(a)}, tables say ${canonicalJson(b)}`,
      )
    }
  }
}

export const verifyDb = (
  db: Db,
  onProgress?: (done: number, total: number) => void,
): VerifyReport => {
  const rows = createRows(db)
  const read = db.transaction(() => {
    const state = readBase(db)
    const baseSeq = state.seq
    const base = { seq: baseSeq, orderIds: new Set(Object.keys(state.orders)) }
    const head = rows.log.head()
    let replayed = 0
    for (;;) {
      const page = rows.log.after(state.seq, PAGE)
      if (page.length === 0) break
      for (const row of page) {
        applyCommit(state, row.seq, JSON.parse(row.actions) as Action[], { keepSettled: true })
      }
      replayed += page.length
      onProgress?.(replayed, head - baseSeq)
    }
    return { state, baseSeq, head, replayed, tables: readTables(db, rows, base) }
  })
  const { state, baseSeq, head, replayed, tables } = read.deferred()
  const differences: string[] = []
  if (state.seq !== head)
    differences.push(`replay ended at ${state.seq}, the log's head is ${head}`)
  compare('product', state.products, tables.products, differences)
  compare('cart line', state.lines, tables.lines, differences)
  compare('order', state.orders, tables.orders, differences)
  return {
    ok: differences.length === 0,
    baseSeq,
    commitsReplayed: replayed,
    head,
    counts: {
      products: Object.keys(tables.products).length,
      lines: Object.keys(tables.lines).length,
      orders: Object.keys(tables.orders).length,
    },
    differences,
  }
}
