// Catalog routes (admin): create, edit (If-Match), restock, delete.
import { Hono } from 'hono'
import { HEADERS, PATHS } from '../../actions/index.js'
import { CreateProductBody, PatchProductBody, RestockBody, Sku } from '../../actions/schemas.js'
import { createProduct, deleteProduct, patchProduct, restockProduct } from '../commands/catalog.js'
import { parse } from '../http/body.js'
import type { AppEnv } from '../http/env.js'
import { requireAdmin } from '../http/identity.js'
import { ifMatchTags } from '../http/if-match.js'
import type { RouteDeps } from './deps.js'

const etag = (version: number) => ({ [HEADERS.etag]: `"${version}"` })

export const catalogRoutes = (deps: RouteDeps) => {
  const { commands } = deps
  const one = `${PATHS.products}/:sku`
  // Admin only, route by route: a method no route takes (GET /api/products/tee) is 404 for
  // everyone, not 403 to a customer.
  return new Hono<AppEnv>()
    .post(PATHS.products, requireAdmin, (c) =>
      commands.run(
        c,
        (tx, body) => {
          const product = createProduct(tx, body)
          return {
            status: 201,
            body: { seq: tx.commit(), product },
            headers: etag(product.version),
          }
        },
        CreateProductBody,
      ),
    )
    .patch(one, requireAdmin, (c) => {
      const sku = parse(Sku, c.req.param('sku'), 'sku')
      const ifMatch = ifMatchTags(c.req.header(HEADERS.ifMatch))
      return commands.run(
        c,
        (tx, body) => {
          const product = patchProduct(tx, { sku, body, ifMatch })
          return {
            status: 200,
            body: { seq: tx.commit(), product },
            headers: etag(product.version),
          }
        },
        PatchProductBody,
      )
    })
    .post(`${one}/restock`, requireAdmin, (c) => {
      const sku = parse(Sku, c.req.param('sku'), 'sku')
      return commands.run(
        c,
        (tx, body) => {
          const product = restockProduct(tx, { sku, qty: body.qty })
          return {
            status: 200,
            body: { seq: tx.commit(), product },
            headers: etag(product.version),
          }
        },
        RestockBody,
      )
    })
    .delete(one, requireAdmin, (c) => {
      const sku = parse(Sku, c.req.param('sku'), 'sku')
      return commands.run(c, (tx) => {
        deleteProduct(tx, sku)
        return { status: 200, body: { seq: tx.commit() } }
      })
    })
}
