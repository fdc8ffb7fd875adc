// The shape of the client store: the confirmed state (server truth), the view screens read
// (confirmed + pending commands re-applied on top), and the bookkeeping around them.
import type { Order, Position, Product, Role } from '../actions/index.js'
import type { ConnectionInfo } from './sync/types.js'

/** A product as the store holds it: the server's record plus `available` (= onHand − held, ≥ 0). */
export interface ProductView extends Product {
  available: number
}

/**
 * One line of the user's cart, i.e. one hold. `expiresAt` is the server's time (ms) at which the
 * hold lapses; it is `null` only in the view, for a line a pending command has just added.
 */
export interface HeldLine {
  sku: string
  qty: number
  expiresAt: number | null
}

/** Everything the server tells this user about the shop, keyed for lookups. */
export interface ShopData {
  products: Record<string, ProductView>
  cart: Record<string, HeldLine>
  orders: Record<string, Order>
}

/**
 * What a command means to do, by kind. A new kind joins this union and the table in
 * `reducers/optimistic.ts`, which the type checker keeps complete.
 */
export type CommandIntent =
  | { kind: 'cart/set'; sku: string; qty: number }
  | { kind: 'cart/remove'; sku: string }
  | { kind: 'order/checkout' }
  | { kind: 'order/pay'; orderId: string }
  | { kind: 'order/cancel'; orderId: string }

export type CommandKind = CommandIntent['kind']

/** A command as sent: its intent and its id (also its `Idempotency-Key`). */
export type SentCommand = CommandIntent & { id: string }

export interface PendingCommand {
  command: SentCommand
  /** Order in which commands were sent; rebase re-applies them in this order. */
  ordinal: number
  /** The server's answer: the commit that carried the change. `null` until it answers. */
  ack: { seq: number; epoch: string | undefined } | null
  /**
   * The position the store held when the command was sent, lowered to a snapshot's that came from
   * behind it since (`ahead`); `null`: none yet, or the database has been replaced since. An
   * answer's seq below it cannot be of that database.
   */
  sentAt: Position | null
}

/**
 * A message for the user. `code` is the server's problem code or a local one: `hold/expired`,
 * `hold/ended` (gone while the page was away, how the snapshot cannot tell), `order/expired`,
 * `order/cancelled` (the shop took one of its products out), `product/removed`, `stock/back`.
 */
export interface Notice {
  id: string
  code: string
  message: string
  sku?: string
  /** The order the notice is about (a lapsed order, a refused pay or cancel). */
  orderId?: string
}

export interface SessionInfo {
  user: string
  role: Role
}

export interface ShopState {
  /** Server truth: the snapshot plus every commit applied since. */
  confirmed: ShopData
  /** What screens read: `confirmed` with pending commands re-applied; `=== confirmed` when none are. */
  view: ShopData
  /** The last applied event; `null` until the first snapshot. */
  position: Position | null
  /** Server clock minus local clock, from the last snapshot: `serverNow = Date.now() + serverOffsetMs`. */
  serverOffsetMs: number
  connection: ConnectionInfo
  session: SessionInfo | null
  /** Commands sent and not yet confirmed or refused, by command id. */
  pending: Record<string, PendingCommand>
  /** How many commands were ever sent; gives each pending command its `ordinal`. */
  commandsSent: number
  notices: Record<string, Notice>
  /**
   * Skus the user waits for → units wanted: a refused or lapsed hold, a lapsed order, or a product
   * the app watches for the user (`watch/started`). A "back in stock" notice ends the wait.
   */
  wanted: Record<string, number>
}

export const emptyData = (): ShopData => ({ products: {}, cart: {}, orders: {} })

/** The connection before `start()`. */
export const idleConnection: ConnectionInfo = {
  status: 'closed',
  attempt: 0,
  lastError: null,
  retryAt: null,
}

/**
 * A store with nothing in it yet: no position, so the first connection asks for a snapshot.
 *
 * @example
 * ```ts
 * const state = initialShopState()
 * state.view === state.confirmed // true: nothing is pending
 * ```
 */
export const initialShopState = (): ShopState => {
  const data = emptyData()
  return {
    confirmed: data,
    view: data,
    position: null,
    serverOffsetMs: 0,
    connection: idleConnection,
    session: null,
    pending: {},
    commandsSent: 0,
    notices: {},
    wanted: {},
  }
}

/** The skus the commands in `pending` are about (a checkout, a pay or a cancel names none). */
export const pendingSkusOf = (pending: ShopState['pending']): Set<string> => {
  const skus = new Set<string>()
  for (const { command } of Object.values(pending)) if ('sku' in command) skus.add(command.sku)
  return skus
}

/** `available` as the protocol defines it, never negative. */
export const availableOf = (onHand: number, held: number): number => Math.max(0, onHand - held)

export const toProductView = (product: Product): ProductView => ({
  ...product,
  available: availableOf(product.onHand, product.held),
})
