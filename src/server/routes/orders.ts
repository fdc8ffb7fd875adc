// Order routes: checkout, pay and cancel, each on the caller's own orders.
import { Hono } from 'hono'
import { PATHS } from '../../actions/index.js'
import { OrderId } from '../../actions/schemas.js'
import { cancelOrder, checkout, payOrder } from '../commands/orders.js'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv } from '../http/env.js'
import type { RouteDeps } from './deps.js'

const orderIdOf = (raw: string): string => {
  const parsed = OrderId.safeParse(raw)
  // An id that cannot exist is simply not found, like another user's order.
  if (!parsed.success) throw new ShelfsyncError('order/not-found', `There is no order "${raw}".`)
  return parsed.data
}

export const orderRoutes = (deps: RouteDeps) => {
  const { commands, cartLimits } = deps
  return new Hono<AppEnv>()
    .post(PATHS.checkout, (c) => {
      const { user } = c.get('identity')
      return commands.run(c, (tx) => {
        const order = checkout(tx, { user, holdTtlMs: cartLimits.holdTtlMs })
        return { status: 201, body: { seq: tx.commit(), order } }
      })
    })
    .post(`${PATHS.orders}/:id/pay`, (c) => {
      const id = orderIdOf(c.req.param('id'))
      const { user } = c.get('identity')
      return commands.run(c, (tx) => {
        const order = payOrder(tx, { user, id })
        return { status: 200, body: { seq: tx.commit(), order } }
      })
    })
    .post(`${PATHS.orders}/:id/cancel`, (c) => {
      const id = orderIdOf(c.req.param('id'))
      const { user } = c.get('identity')
      return commands.run(c, (tx) => {
        const order = cancelOrder(tx, { user, id })
        return { status: 200, body: { seq: tx.commit(), order } }
      })
    })
}
