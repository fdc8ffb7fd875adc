// The ceiling: raw better-sqlite3 in one process doing the statements of a Shelfsync hold (the
// expiry checks, the reads, the line upsert, the stock update and the commit row) in one
// BEGIN IMMEDIATE transaction each, at the same durability (WAL, synchronous = FULL).
// Prints one JSON line: { holds, seconds, latencies } for the case given in argv.
import Database from 'better-sqlite3'
import { createHistogram } from '../fanout/histogram.js'

const [file, mode, usersArg, secondsArg] = process.argv.slice(2)
const users = Number(usersArg)
const seconds = Number(secondsArg)
const db = new Database(file as string)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.exec(`
  CREATE TABLE products (sku TEXT PRIMARY KEY, title TEXT, price_cents INTEGER, on_hand INTEGER,
    held INTEGER, version INTEGER, CHECK (held <= on_hand)) STRICT;
  CREATE TABLE cart_lines (user TEXT, sku TEXT, qty INTEGER, expires_at INTEGER, PRIMARY KEY (user, sku)) STRICT;
  CREATE INDEX cart_lines_by_expiry ON cart_lines (expires_at);
  CREATE TABLE orders (id TEXT PRIMARY KEY, user TEXT, status TEXT, expires_at INTEGER) STRICT;
  CREATE INDEX orders_pending ON orders (expires_at) WHERE status = 'pending';
  CREATE TABLE commits (seq INTEGER PRIMARY KEY, at INTEGER, actions TEXT, users TEXT) STRICT;
`)
const skuOf = (u: number) => (mode === 'one' ? 'hot' : `sku-${u}`)
const insert = db.prepare(
  `INSERT OR IGNORE INTO products VALUES (?, 'Bench product', 100, 1000000, 0, 1)`,
)
for (let u = 0; u < users; u++) insert.run(skuOf(u))

const lapsedLines = db.prepare('SELECT user, sku, qty FROM cart_lines WHERE expires_at <= ?')
const lapsedOrders = db.prepare(
  `SELECT id FROM orders WHERE status = 'pending' AND expires_at <= ?`,
)
const product = db.prepare('SELECT * FROM products WHERE sku = ?')
const line = db.prepare('SELECT qty FROM cart_lines WHERE user = ? AND sku = ?')
const totals = db.prepare('SELECT count(*), coalesce(sum(qty), 0) FROM cart_lines WHERE user = ?')
const upsert = db.prepare(
  `INSERT INTO cart_lines VALUES (?, ?, ?, ?) ON CONFLICT (user, sku) DO UPDATE SET qty = excluded.qty, expires_at = excluded.expires_at`,
)
const update = db.prepare(
  'UPDATE products SET held = held + ?, version = version + 1 WHERE sku = ? RETURNING on_hand, held, version',
)
const head = db.prepare('SELECT coalesce(max(seq), 0) FROM commits').pluck()
const append = db.prepare('INSERT INTO commits VALUES (?, ?, ?, ?)')

const hold = db.transaction((user: string, sku: string, qty: number, now: number) => {
  lapsedLines.all(now)
  lapsedOrders.all(now)
  product.get(sku)
  const old = (line.get(user, sku) as { qty: number } | undefined)?.qty ?? 0
  totals.get(user)
  const expiresAt = now + 900_000
  upsert.run(user, sku, qty, expiresAt)
  const stock = update.get(qty - old, sku) as { on_hand: number; held: number; version: number }
  const seq = (head.get() as number) + 1
  const actions = [
    { type: 'cart/line-set', payload: { user, sku, qty, expiresAt } },
    {
      type: 'stock/changed',
      payload: { sku, onHand: stock.on_hand, held: stock.held, version: stock.version },
    },
  ]
  append.run(seq, now, JSON.stringify(actions), `,${user},`)
})

const latencies = createHistogram()
const qty = new Array<number>(users).fill(0)
let holds = 0
const started = performance.now()
const until = started + seconds * 1000
while (performance.now() < until) {
  const u = holds % users
  qty[u] = qty[u] === 1 ? 2 : 1
  const t = performance.now()
  hold.immediate(`user-${u}`, skuOf(u), qty[u] as number, Date.now())
  latencies.record(performance.now() - t)
  holds++
}
console.log(
  JSON.stringify({
    holds,
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.toJSON(),
  }),
)
db.close()
