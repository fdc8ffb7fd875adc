// Rows of the catalog: products and the tombstones that keep a deleted sku's version counting.
import type { Product } from '../../actions/index.js'
import type { Db } from './open.js'

const COLUMNS = 'sku, title, price_cents AS priceCents, on_hand AS onHand, held, version'

export const createProductRows = (db: Db) => {
  const byIdStmt = db.prepare(`SELECT ${COLUMNS} FROM products WHERE sku = ?`)
  const allStmt = db.prepare(`SELECT ${COLUMNS} FROM products ORDER BY sku`)
  const insertStmt = db.prepare(
    `INSERT INTO products (sku, title, price_cents, on_hand, held, version)
     VALUES (@sku, @title, @priceCents, @onHand, @held, @version) RETURNING ${COLUMNS}`,
  )
  const updateStmt = db.prepare(
    `UPDATE products SET title = @title, price_cents = @priceCents, on_hand = @onHand, held = @held,
       version = version + 1
     WHERE sku = @sku RETURNING ${COLUMNS}`,
  )
  const deleteStmt = db.prepare('DELETE FROM products WHERE sku = ?')
  const tombstoneStmt = db.prepare('SELECT version FROM product_tombstones WHERE sku = ?').pluck()
  const buryStmt = db.prepare(
    `INSERT INTO product_tombstones (sku, version) VALUES (?, ?)
     ON CONFLICT (sku) DO UPDATE SET version = excluded.version`,
  )

  return {
    get: (sku: string) => byIdStmt.get(sku) as Product | undefined,
    all: () => allStmt.all() as Product[],
    /** Inserts a new product; its version continues from a deleted one of the same sku. */
    insert(product: Omit<Product, 'version' | 'held'>): Product {
      const last = (tombstoneStmt.get(product.sku) as number | undefined) ?? 0
      return insertStmt.get({ ...product, held: 0, version: last + 1 }) as Product
    },
    /** Writes the product's new values and bumps its version by one. */
    update(next: Omit<Product, 'version'>): Product {
      return updateStmt.get(next) as Product
    },
    /** Deletes the row and returns the version of its removal (one past its last). */
    remove(product: Product): number {
      const version = product.version + 1
      deleteStmt.run(product.sku)
      buryStmt.run(product.sku, version)
      return version
    },
  }
}

export type ProductRows = ReturnType<typeof createProductRows>
