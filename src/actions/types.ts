// TypeScript types of the protocol, inferred from the schemas so the two never drift apart.
// `import type` from here costs nothing at run time: the SDK ships without zod.
import type { z } from 'zod'
import type { SnapshotReason } from './constants.js'
import type * as S from './schemas.js'

export type Product = z.infer<typeof S.Product>
export type CartLine = z.infer<typeof S.CartLine>
export type OrderStatus = z.infer<typeof S.OrderStatus>
export type OrderLine = z.infer<typeof S.OrderLine>
export type Order = z.infer<typeof S.Order>

export type Action = z.infer<typeof S.Action>
export type ActionType = Action['type']
/** The action of one `type`, e.g. `ActionOf<'stock/changed'>`. */
export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>
export type CartLineRemovedReason = ActionOf<'cart/line-removed'>['payload']['reason']

/** One write transaction: the data of a commit event. */
export type Commit = z.infer<typeof S.Commit>
export type Snapshot = z.infer<typeof S.Snapshot>
/** The data of a snapshot event: a snapshot plus why it was sent. */
export type SnapshotEventData = Snapshot & { reason: SnapshotReason }

export type Role = 'admin' | 'customer'
export interface Session {
  token: string
  user: string
  role: Role
}

export type CreateProductBody = z.infer<typeof S.CreateProductBody>
export type PatchProductBody = z.infer<typeof S.PatchProductBody>

/** Answers of the commands. */
export interface ProductAnswer {
  seq: number
  product: Product
}
export interface CartLineAnswer {
  seq: number
  line: CartLine | null
}
export interface OrderAnswer {
  seq: number
  order: Order
}
export interface SeqAnswer {
  seq: number
}
export interface Health {
  ok: true
  epoch: string
  seq: number
}
