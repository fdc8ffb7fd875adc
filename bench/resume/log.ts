// Fills the resume bench's database through the server's own command path (the writer and the
// catalog commands), in one transaction per call rather than one HTTP request per commit.
import { systemClock } from '../../src/server/clock.js'
import { createProduct, restockProduct } from '../../src/server/commands/catalog.js'
import { createWriter } from '../../src/server/commands/writer.js'
import { openDb } from '../../src/server/db/open.js'
import { createRows } from '../../src/server/db/rows.js'

export const skuOf = (i: number): string => `sku-${i}`

/** Opens the database beside the running server (SQLite WAL: one writer at a time, waits). */
const openWriter = (file: string) => {
  const { db } = openDb(file)
  const rows = createRows(db)
  const writer = createWriter({
    db,
    rows,
    clock: systemClock,
    // Nobody listens on this connection: the server reads the log when a client catches up.
    publish: () => {},
    retain: Number.MAX_SAFE_INTEGER,
    compact: () => {},
  })
  return { db, rows, writer }
}

/** `count` products, all in one commit. */
export const seedProducts = (file: string, count: number): void => {
  const { db, writer } = openWriter(file)
  try {
    writer.run((tx) => {
      for (let i = 0; i < count; i++) {
        createProduct(tx, {
          sku: skuOf(i),
          title: `Product ${i}`,
          priceCents: 100 + i,
          onHand: 1_000,
        })
      }
    })
  } finally {
    db.close()
  }
}

/** `count` commits of one restock each, round the `products`, in one transaction. Answers the head. */
export const writeRestocks = (file: string, count: number, products: number): number => {
  const { db, rows, writer } = openWriter(file)
  try {
    writer.run((tx) => {
      for (let i = 0; i < count; i++) {
        restockProduct(tx, { sku: skuOf(i % products), qty: 1 })
        tx.commit()
      }
    })
    return rows.log.head()
  } finally {
    db.close()
  }
}
