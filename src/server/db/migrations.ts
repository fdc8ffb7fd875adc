// Versioned schema migrations, applied in order and recorded in `PRAGMA user_version`.
// Invariants live in the schema too (CHECK), so no code path can store an impossible row.
import type { Database } from 'better-sqlite3'

export const MIGRATIONS: readonly string[] = [
  // 1: catalog, holds, orders, the commit log, idempotency keys
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE products (
    sku TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
    held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    version INTEGER NOT NULL CHECK (version >= 1),
    CHECK (held <= on_hand)
  ) STRICT;

  -- The last version of a deleted sku, so a product made again under it keeps counting up.
  CREATE TABLE product_tombstones (sku TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT;

  CREATE TABLE cart_lines (
    user TEXT NOT NULL,
    sku TEXT NOT NULL REFERENCES products (sku),
    qty INTEGER NOT NULL CHECK (qty BETWEEN 1 AND 99),
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (user, sku)
  ) STRICT;
  CREATE INDEX cart_lines_by_expiry ON cart_lines (expires_at);
  CREATE INDEX cart_lines_by_sku ON cart_lines (sku);

  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'cancelled')),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    seq INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX orders_by_user ON orders (user, seq);
  CREATE INDEX orders_pending_by_expiry ON orders (expires_at) WHERE status = 'pending';

  CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id),
    sku TEXT NOT NULL,
    qty INTEGER NOT NULL CHECK (qty >= 1),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    PRIMARY KEY (order_id, sku)
  ) STRICT;
  CREATE INDEX order_lines_by_sku ON order_lines (sku);

  -- The commit log (transactional outbox). users: the private audiences, ',a,b,' or ''.
  CREATE TABLE commits (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actions TEXT NOT NULL,
    users TEXT NOT NULL
  ) STRICT;

  CREATE TABLE idempotency_keys (
    user TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user, key)
  ) STRICT;
  CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
  `,
  // 2: the retained base of a compacted log: the state after commit `seq`
  `
  CREATE TABLE log_base (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    state TEXT NOT NULL
  ) STRICT;
  `,
  // 3: the headers of a stored answer (an ETag), so that a replay carries them too
  `
  ALTER TABLE idempotency_keys ADD COLUMN headers TEXT NOT NULL DEFAULT '{}';
  `,
  // 4: a user's pending orders without walking their whole history (every hold counts the units
  // they keep against the held-units limit, inside the write transaction)
  `
  CREATE INDEX orders_pending_by_user ON orders (user) WHERE status = 'pending';
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Brings the database up to the newest schema; each step in its own transaction. */
export const migrate = (db: Database): { from: number; to: number } => {
  const from = db.pragma('user_version', { simple: true }) as number
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `database schema ${from} is newer than this server knows (${SCHEMA_VERSION}); upgrade Shelfsync`,
    )
  }
  for (let version = from; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string)
      db.pragma(`user_version = ${version + 1}`)
    }).immediate()
  }
  return { from, to: SCHEMA_VERSION }
}
