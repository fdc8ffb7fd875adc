// The commands a client sends over HTTP. Cart and order commands are optimistic: they are pending
// at once (`command/sent`; cart commands also change the view), then the answer acknowledges or
// refuses them. Admin commands are not: their effect arrives through the stream like anyone else's.
import type {
  CartLineAnswer,
  CreateProductBody,
  OrderAnswer,
  PatchProductBody,
  ProductAnswer,
  SeqAnswer,
} from '../actions/index.js'
import {
  HEADERS,
  isDotSegment,
  LIMITS,
  NAME_PATTERN,
  ORDER_ID_PATTERN,
  PATHS,
  pathOf,
} from '../actions/index.js'
import type { ClientAction } from './client-actions.js'
import type { CommandResult, Http, HttpRequest } from './http.js'
import { localProblem } from './http.js'
import type { CommandIntent } from './state.js'

export interface ShopCommands {
  /** Holds `qty` units of `sku` in the cart (`PUT /api/cart/lines/:sku`); 0 removes the line. */
  setCartQty(sku: string, qty: number): Promise<CommandResult<CartLineAnswer>>
  /** Removes the cart line of `sku` (`DELETE /api/cart/lines/:sku`). */
  removeFromCart(sku: string): Promise<CommandResult<SeqAnswer>>
  /**
   * Turns the cart's holds into a pending order (`POST /api/checkout`). No order is shown before
   * the server has made one; meanwhile `selectCheckingOut` is true.
   */
  checkout(): Promise<CommandResult<OrderAnswer>>
  /** Pays a pending order (`POST /api/orders/:id/pay`); `selectOrderChange(id)` is `'pay'` meanwhile. */
  payOrder(orderId: string): Promise<CommandResult<OrderAnswer>>
  /** Cancels a pending order (`POST /api/orders/:id/cancel`); `selectOrderChange(id)` is `'cancel'` meanwhile. */
  cancelOrder(orderId: string): Promise<CommandResult<OrderAnswer>>
  /** Admin: adds a product. */
  createProduct(product: CreateProductBody): Promise<CommandResult<ProductAnswer>>
  /** Admin: changes a product; with `version`, only if it is still that version (`If-Match`). */
  patchProduct(
    sku: string,
    patch: PatchProductBody,
    options?: { version?: number },
  ): Promise<CommandResult<ProductAnswer>>
  /** Admin: adds `qty` units to the stock. */
  restock(sku: string, qty: number): Promise<CommandResult<ProductAnswer>>
  /** Admin: removes a product; its holds are released first. */
  deleteProduct(sku: string): Promise<CommandResult<SeqAnswer>>
}

export interface CommandDeps {
  http: Http
  dispatch(action: ClientAction): void
  /** A fresh command id; it is also the request's `Idempotency-Key`. */
  newId(): string
}

const invalid = <T>(detail: string): Promise<CommandResult<T>> =>
  Promise.resolve({ ok: false, problem: localProblem('request/invalid', 400, detail) })

const badSku = (sku: string): string | null =>
  NAME_PATTERN.test(sku) && !isDotSegment(sku)
    ? null
    : `sku must be 1 to 64 characters of [A-Za-z0-9_.-] (not "." or ".."), not "${sku}"`

const badOrderId = (id: string): string | null =>
  typeof id === 'string' && ORDER_ID_PATTERN.test(id)
    ? null
    : `orderId must be 1 to 64 characters of [A-Za-z0-9_-], such as "ord_k3v9q2xw0a1b", not "${id}"`

/**
 * Creates the commands over an `Http` (see `createHttp`) and the store's `dispatch`.
 *
 * @example
 * ```ts
 * const commands = createCommands({ http, dispatch, newId: createIdMaker() })
 * const result = await commands.setCartQty('tee-m', 2)
 * if (!result.ok) console.log(result.problem.code) // e.g. 'stock/insufficient'
 * ```
 */
export const createCommands = ({ http, dispatch, newId }: CommandDeps): ShopCommands => {
  /** Shows `intent` at once, sends `request` with the command id as key, then settles it. */
  const optimistic = async <T extends { seq: number }>(
    intent: CommandIntent,
    request: HttpRequest,
  ): Promise<CommandResult<T>> => {
    const id = newId()
    dispatch({ type: 'command/sent', command: { ...intent, id } })
    let result = await http.send<T>({ ...request, idempotencyKey: id })
    if (result.ok && !Number.isSafeInteger(result.value?.seq)) {
      // Without a seq the command can never be confirmed; roll it back and let the stream tell.
      const detail = `the answer to ${request.method} ${request.path} has no seq`
      result = { ok: false, problem: localProblem('server/internal', 500, detail) }
    }
    if (result.ok) dispatch({ type: 'command/acknowledged', id, seq: result.value.seq })
    else dispatch({ type: 'command/refused', id, problem: result.problem })
    return result
  }

  const orderCommand = (
    kind: 'order/pay' | 'order/cancel',
    orderId: string,
    path: (orderId: string) => string,
  ): Promise<CommandResult<OrderAnswer>> => {
    const problem = badOrderId(orderId)
    if (problem !== null) return invalid(problem)
    return optimistic({ kind, orderId }, { method: 'POST', path: path(orderId) })
  }

  const admin = <T>(request: HttpRequest): Promise<CommandResult<T>> =>
    http.send<T>({ ...request, idempotencyKey: newId() })

  return {
    setCartQty(sku, qty) {
      const problem = badSku(sku)
      if (problem !== null) return invalid(problem)
      if (!Number.isInteger(qty) || qty < 0 || qty > LIMITS.qtyMax) {
        const given = typeof qty === 'string' ? `the string "${qty}"` : String(qty)
        return invalid(`qty must be a whole number from 0 to ${LIMITS.qtyMax}, not ${given}`)
      }
      return optimistic(
        { kind: 'cart/set', sku, qty },
        { method: 'PUT', path: pathOf.cartLine(sku), body: { qty } },
      )
    },
    removeFromCart(sku) {
      const problem = badSku(sku)
      if (problem !== null) return invalid(problem)
      return optimistic(
        { kind: 'cart/remove', sku },
        { method: 'DELETE', path: pathOf.cartLine(sku) },
      )
    },
    checkout: () =>
      optimistic<OrderAnswer>({ kind: 'order/checkout' }, { method: 'POST', path: PATHS.checkout }),
    payOrder: (orderId) => orderCommand('order/pay', orderId, pathOf.pay),
    cancelOrder: (orderId) => orderCommand('order/cancel', orderId, pathOf.cancel),
    createProduct: (product) => admin({ method: 'POST', path: PATHS.products, body: product }),
    patchProduct: (sku, patch, options) =>
      admin({
        method: 'PATCH',
        path: pathOf.product(sku),
        body: patch,
        ...(options?.version === undefined
          ? {}
          : { headers: { [HEADERS.ifMatch]: `"${options.version}"` } }),
      }),
    restock: (sku, qty) => admin({ method: 'POST', path: pathOf.restock(sku), body: { qty } }),
    deleteProduct: (sku) => admin({ method: 'DELETE', path: pathOf.product(sku) }),
  }
}
