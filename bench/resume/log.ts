// Fills the resume bench's database through the server's own command path (the writer and the
// catalog commands), in one transaction per call rather than one HTTP request per commit.
// The writer opens the database beside the running server (SQLite WAL: one writer at a time,
// waits); nobody listens on it, the server reads the log when a client catches up.
import { createProduct, restockProduct } from '../../src/server/commands/catalog.js'
import { openWriter } from '../../tests/support/writer.js'

export const skuOf = (i: number): string => `sku-${i}`

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
