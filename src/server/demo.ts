// The demo catalog a new database gets in demo mode, with exactly one unit of the first product.
import type { CreateProductBody } from '../actions/index.js'
import { createProduct } from './commands/catalog.js'
import type { Writer } from './commands/writer.js'

export const DEMO_CATALOG: readonly CreateProductBody[] = [
  { sku: 'front-row-ticket', title: 'Front-row concert ticket', priceCents: 8900, onHand: 1 },
  { sku: 'shelfsync-tee', title: 'Shelfsync tee, black', priceCents: 2500, onHand: 12 },
  { sku: 'enamel-mug', title: 'Enamel mug', priceCents: 1400, onHand: 5 },
  { sku: 'canvas-tote', title: 'Canvas tote', priceCents: 1800, onHand: 0 },
  { sku: 'sticker-pack', title: 'Sticker pack', priceCents: 400, onHand: 40 },
]

export const seedDemo = (writer: Writer): void => {
  writer.run((tx) => {
    for (const product of DEMO_CATALOG) createProduct(tx, product)
  })
}
