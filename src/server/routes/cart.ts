// Cart routes: each customer's own holds.
import { Hono } from 'hono'
import { SetCartQtyBody, Sku } from '../../actions/schemas.js'
import { removeCartLine, setCartLine } from '../commands/cart.js'
import { parse } from '../http/body.js'
import type { AppEnv } from '../http/env.js'
import type { RouteDeps } from './deps.js'

const LINE = '/api/cart/lines/:sku'

export const cartRoutes = (deps: RouteDeps) => {
  const { commands, cartLimits } = deps
  return new Hono<AppEnv>()
    .put(LINE, (c) => {
      const sku = parse(Sku, c.req.param('sku'), 'sku')
      const { user } = c.get('identity')
      return commands.run(
        c,
        (tx, body) => {
          const line = setCartLine(tx, { user, sku, qty: body.qty }, cartLimits)
          return { status: 200, body: { seq: tx.commit(), line } }
        },
        SetCartQtyBody,
      )
    })
    .delete(LINE, (c) => {
      const sku = parse(Sku, c.req.param('sku'), 'sku')
      const { user } = c.get('identity')
      return commands.run(c, (tx) => {
        removeCartLine(tx, { user, sku, reason: 'removed' })
        return { status: 200, body: { seq: tx.commit() } }
      })
    })
}
