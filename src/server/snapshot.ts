// Reads a user's snapshot and its seq in one transaction: exactly the state after commit `seq`.
import type { Snapshot } from '../actions/index.js'
import type { Clock } from './clock.js'
import type { Db } from './db/open.js'
import { publicOrder } from './db/orders.js'
import type { Rows } from './db/rows.js'

export const createSnapshotReader = (input: {
  db: Db
  rows: Rows
  epoch: string
  clock: Clock
}) => {
  const { db, rows, epoch, clock } = input
  const read = db.transaction(
    (user: string): Snapshot => ({
      epoch,
      seq: rows.log.head(),
      serverTime: clock.now(),
      products: rows.products.all(),
      cart: rows.carts.ofUser(user),
      orders: rows.orders.ofUser(user).map(publicOrder),
    }),
  )
  return (user: string): Snapshot => read.deferred(user)
}
