// All table access in one object, prepared once per database.
import { createCartRows } from './carts.js'
import { createLogRows } from './log.js'
import type { Db } from './open.js'
import { createOrderRows } from './orders.js'
import { createProductRows } from './products.js'

export const createRows = (db: Db) => ({
  products: createProductRows(db),
  carts: createCartRows(db),
  orders: createOrderRows(db),
  log: createLogRows(db),
})

export type Rows = ReturnType<typeof createRows>
