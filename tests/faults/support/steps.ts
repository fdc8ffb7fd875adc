// The steps of the whole-system test (fast-check async commands over the model and the world):
// shop commands sent through the real SDK, each answer checked against the model, and faults
// injected through the proxy or the server process.
import type fc from 'fast-check'
import { expect } from 'vitest'
import type { OrderAnswer, ProductAnswer } from '../../../src/actions/index.js'
import type { CommandResult } from '../../../src/store/index.js'
import { waitUntil } from '../../support/wait-until.js'
import {
  CUSTOMERS,
  type Customer,
  knownCartLines,
  outcomeOf,
  productGone,
  productMaybeGone,
  type ShopModel,
  SKUS,
  type Sku,
} from './shop-model.js'
import { WATCHDOG_MS, type World } from './world.js'

export type Step = fc.AsyncCommand<ShopModel, World>

const isStream = (c: { lastRequest: string }) => c.lastRequest.startsWith('GET /api/events')

/** A restock, patch or create answered with the product: check the model's onHand, then set it. */
const productAnswered = (
  model: ShopModel,
  sku: Sku,
  onHand: number | null,
  answer: ProductAnswer,
) => {
  if (onHand !== null) expect(answer.product.onHand, `${sku} onHand in the answer`).toBe(onHand)
  model.products[sku] = { exists: true, onHand: answer.product.onHand }
}

/** A refusal with product/not-found: the model must not have thought it existed; now it knows. */
const learnedAbsent = (model: ShopModel, sku: Sku) => {
  expect(model.products[sku].exists, `${sku} was refused as missing`).not.toBe(true)
  model.products[sku] = { exists: false, onHand: null }
  productGone(model, sku)
}

// --- commands --------------------------------------------------------------------------------

export const setCart = (user: Customer, sku: Sku, qty: number): Step => ({
  check: () => true,
  async run(model, world) {
    const outcome = outcomeOf(model, await world.customers[user].client.setCartQty(sku, qty))
    if (outcome.kind === 'applied') model.carts[user][sku] = qty
    if (outcome.kind === 'unknown') model.carts[user][sku] = null
    if (outcome.kind === 'refused' && outcome.code === 'product/not-found')
      learnedAbsent(model, sku)
  },
  toString: () => `${user}.setCartQty(${sku}, ${qty})`,
})

export const removeFromCart = (user: Customer, sku: Sku): Step => ({
  check: () => true,
  async run(model, world) {
    const outcome = outcomeOf(model, await world.customers[user].client.removeFromCart(sku))
    if (outcome.kind === 'applied') model.carts[user][sku] = 0
    if (outcome.kind === 'unknown') model.carts[user][sku] = null
  },
  toString: () => `${user}.removeFromCart(${sku})`,
})

/** Everyone wants the same sku at once. */
export const rush = (sku: Sku, qtys: readonly number[]): Step => ({
  check: () => true,
  async run(model, world) {
    await Promise.all(
      CUSTOMERS.map((user, i) => setCart(user, sku, qtys[i] ?? 1).run(model, world)),
    )
  },
  toString: () => `rush(${sku}, ${qtys.join('/')})`,
})

export const restock = (sku: Sku, qty: number): Step => ({
  check: () => true,
  async run(model, world) {
    const known = model.products[sku]
    const outcome = outcomeOf(model, await world.admin.client.restock(sku, qty))
    if (outcome.kind === 'applied') {
      expect(known.exists, `${sku} restocked though deleted`).not.toBe(false)
      productAnswered(model, sku, known.onHand === null ? null : known.onHand + qty, outcome.value)
    }
    if (outcome.kind === 'unknown') model.products[sku].onHand = null
    if (outcome.kind === 'refused') {
      expect(outcome.code).toBe('product/not-found')
      learnedAbsent(model, sku)
    }
  },
  toString: () => `admin.restock(${sku}, ${qty})`,
})

export const patchOnHand = (sku: Sku, onHand: number): Step => ({
  check: () => true,
  async run(model, world) {
    const outcome = outcomeOf(model, await world.admin.client.patchProduct(sku, { onHand }))
    if (outcome.kind === 'applied') productAnswered(model, sku, onHand, outcome.value)
    if (outcome.kind === 'unknown') model.products[sku].onHand = null
    if (outcome.kind === 'refused') {
      expect(['stock/below-held', 'product/not-found']).toContain(outcome.code)
      if (outcome.code === 'product/not-found') learnedAbsent(model, sku)
    }
  },
  toString: () => `admin.patchProduct(${sku}, { onHand: ${onHand} })`,
})

export const createProduct = (sku: Sku, onHand: number): Step => ({
  check: () => true,
  async run(model, world) {
    const known = model.products[sku]
    const result = await world.admin.client.createProduct({
      sku,
      title: `New ${sku}`,
      priceCents: 250,
      onHand,
    })
    const outcome = outcomeOf(model, result)
    if (outcome.kind === 'applied') {
      expect(known.exists, `${sku} created twice`).not.toBe(true)
      productAnswered(model, sku, onHand, outcome.value)
    }
    if (outcome.kind === 'unknown') model.products[sku] = { exists: null, onHand: null }
    if (outcome.kind === 'refused') {
      expect(outcome.code).toBe('product/exists')
      expect(known.exists, `${sku} refused as existing`).not.toBe(false)
      model.products[sku].exists = true
    }
  },
  toString: () => `admin.createProduct(${sku}, ${onHand})`,
})

export const deleteProduct = (sku: Sku): Step => ({
  check: () => true,
  async run(model, world) {
    const outcome = outcomeOf(model, await world.admin.client.deleteProduct(sku))
    if (outcome.kind === 'applied') {
      model.products[sku] = { exists: false, onHand: null }
      productGone(model, sku)
    }
    if (outcome.kind === 'unknown') productMaybeGone(model, sku)
    if (outcome.kind === 'refused') {
      expect(outcome.code).toBe('product/not-found')
      learnedAbsent(model, sku)
    }
  },
  toString: () => `admin.deleteProduct(${sku})`,
})

export const checkout = (user: Customer): Step => ({
  check: () => true,
  async run(model, world) {
    const cart = knownCartLines(model, user)
    const outcome = outcomeOf(model, await world.customers[user].client.checkout())
    if (outcome.kind === 'applied') {
      const { order } = outcome.value
      if (cart !== null) {
        expect(new Map(order.lines.map((l) => [l.sku, l.qty])), `${user}'s order lines`).toEqual(
          cart,
        )
      }
      model.orders[user].set(order.id, { lines: order.lines, status: 'pending' })
      for (const sku of SKUS) model.carts[user][sku] = 0
    }
    if (outcome.kind === 'unknown') {
      model.unknownOrders[user] = true
      for (const sku of SKUS) model.carts[user][sku] = null
    }
    if (outcome.kind === 'refused') {
      expect(outcome.code).toBe('cart/empty')
      if (cart !== null) expect(cart.size, `${user}'s cart was refused as empty`).toBe(0)
    }
  },
  toString: () => `${user}.checkout()`,
})

export const settleOrder = (user: Customer, pick: number, pay: boolean): Step => ({
  check: (model) => model.orders[user].size > 0,
  async run(model, world) {
    const ids = [...model.orders[user].keys()]
    const id = ids[pick % ids.length] as string
    const order = model.orders[user].get(id) as {
      lines: OrderAnswer['order']['lines']
      status: string | null
    }
    const client = world.customers[user].client
    const result: CommandResult<OrderAnswer> = pay
      ? await client.payOrder(id)
      : await client.cancelOrder(id)
    const outcome = outcomeOf(model, result)
    if (outcome.kind === 'applied') {
      expect(order.status, `${id} settled twice`).not.toBe(pay ? 'cancelled' : 'paid')
      expect(outcome.value.order.status).toBe(pay ? 'paid' : 'cancelled')
      // Paying moves the order's units out of stock (not known if the order's state was not).
      for (const line of pay ? order.lines : []) {
        const product = model.products[line.sku as Sku]
        if (product.onHand !== null)
          product.onHand = order.status === null ? null : product.onHand - line.qty
      }
      order.status = pay ? 'paid' : 'cancelled'
    }
    if (outcome.kind === 'unknown') {
      order.status = null
      if (pay) for (const line of order.lines) model.products[line.sku as Sku].onHand = null
    }
    if (outcome.kind === 'refused') {
      expect(outcome.code).toBe('order/not-pending')
      expect(order.status, `${id} refused as not pending`).not.toBe('pending')
    }
  },
  toString: () => `${user}.${pay ? 'pay' : 'cancel'}Order(#${pick})`,
})

// --- faults ----------------------------------------------------------------------------------

export const cutStreams = (afterBytes: number | undefined): Step => ({
  check: () => true,
  async run(_model, world) {
    world.proxy.cut(
      afterBytes === undefined ? { where: isStream } : { afterBytes, where: isStream },
    )
  },
  toString: () => `cutStreams(${afterBytes ?? 'now'})`,
})

export const cutEverything = (): Step => ({
  check: () => true,
  async run(_model, world) {
    world.proxy.cut()
  },
  toString: () => 'cutEverything()',
})

export const cutNextAnswers = (
  afterBytes: number,
  of: 'response' | 'body',
  times: number,
): Step => ({
  check: () => true,
  async run(_model, world) {
    world.proxy.cutResponses({ request: /^(PUT|POST|PATCH|DELETE) /, afterBytes, of, times })
  },
  toString: () => `cutNextAnswers(${times} × after ${afterBytes} bytes of the ${of})`,
})

export const stall = (): Step => ({
  check: () => true,
  async run(_model, world) {
    const stalledAt = Date.now()
    const watching = world.all.filter((c) => c.client.store.getState().connection.status === 'live')
    world.proxy.stall('open')
    try {
      await waitUntil(
        'the stalled clients noticed',
        () => watching.every((c) => c.errors.some((e) => e.at >= stalledAt)),
        20 * WATCHDOG_MS,
      )
    } finally {
      world.proxy.resume()
    }
  },
  toString: () => 'stall()',
})

export const delay = (ms: number): Step => ({
  check: () => true,
  async run(_model, world) {
    world.proxy.delay(ms)
  },
  toString: () => `delay(${ms})`,
})

export const restart = (signal: 'SIGTERM' | 'SIGKILL', during: Step | null): Step => ({
  check: () => true,
  async run(model, world) {
    const inFlight = during?.run(model, world)
    await world.server.restart(signal)
    world.tally.restarts++
    await inFlight
  },
  toString: () => `restart(${signal}${during ? `, during ${during}` : ''})`,
})
