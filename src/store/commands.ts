// The commands a client sends over HTTP. Cart commands are optimistic: the view shows them at
// once (`command/sent`), then the answer acknowledges or refuses them. Admin commands are not:
// their effect arrives through the stream like anyone else's.
import type {
  CartLineAnswer,
  CreateProductBody,
  PatchProductBody,
  ProductAnswer,
  SeqAnswer,
} from '../actions/index.js'
import { HEADERS, LIMITS, NAME_PATTERN, PATHS, pathOf } from '../actions/index.js'
import type { ClientAction } from './client-actions.js'
import type { CommandResult, Http, HttpRequest } from './http.js'
import { localProblem } from './http.js'
import type { CommandIntent } from './state.js'

export interface ShopCommands {
  /** Holds `qty` units of `sku` in the cart (`PUT /api/cart/lines/:sku`); 0 removes the line. */
  setCartQty(sku: string, qty: number): Promise<CommandResult<CartLineAnswer>>
  /** Removes the cart line of `sku` (`DELETE /api/cart/lines/:sku`). */
  removeFromCart(sku: string): Promise<CommandResult<SeqAnswer>>
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
  NAME_PATTERN.test(sku) ? null : `sku must be 1 to 64 characters of [A-Za-z0-9_.-], not "${sku}"`

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

  const admin = <T>(request: HttpRequest): Promise<CommandResult<T>> =>
    http.send<T>({ ...request, idempotencyKey: newId() })

  return {
    setCartQty(sku, qty) {
      const problem = badSku(sku)
      if (problem !== null) return invalid(problem)
      if (!Number.isInteger(qty) || qty < 0 || qty > LIMITS.qtyMax) {
        return invalid(`qty must be a whole number from 0 to ${LIMITS.qtyMax}, not ${qty}`)
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
