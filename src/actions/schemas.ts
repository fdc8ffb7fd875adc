// Schemas of the protocol's records, request bodies and action payloads (zod, strict: unknown
// members are refused). The server validates with them; the SDK only imports their types.
import { z } from 'zod'
import { EPOCH_PATTERN, isDotSegment, LIMITS, NAME_PATTERN, ORDER_ID_PATTERN } from './constants.js'

export const Name = z.string().regex(NAME_PATTERN, 'must be 1 to 64 characters of [A-Za-z0-9_.-]')
export const Sku = Name
export const UserName = Name
export const Epoch = z.string().regex(EPOCH_PATTERN)

/** Milliseconds since the Unix epoch (the protocol's timestamps: `at`, `expiresAt`, `serverTime`). */
export const Millis = z.int().min(0)
const Count = z.int().min(0).max(LIMITS.onHandMax)
const Version = z.int().min(1)
// A lone surrogate (JSON's "\ud800") cannot be stored as UTF-8: SQLite would keep U+FFFD in its
// place, a title other than the one sent, so it is refused.
const Title = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.titleMaxLength)
  .refine((title) => !/\p{Cs}/u.test(title), 'must be well-formed Unicode (a lone surrogate)')
const PriceCents = z.int().min(0).max(LIMITS.priceCentsMax)
const LineQty = z.int().min(1).max(LIMITS.qtyMax)

export const Product = z.strictObject({
  sku: Sku,
  title: Title,
  priceCents: PriceCents,
  onHand: Count,
  held: Count,
  version: Version,
})

export const CartLine = z.strictObject({ sku: Sku, qty: LineQty, expiresAt: Millis })

export const ORDER_STATUSES = ['pending', 'paid', 'expired', 'cancelled'] as const
export const OrderStatus = z.enum(ORDER_STATUSES)
export const OrderLine = z.strictObject({ sku: Sku, qty: LineQty, priceCents: PriceCents })
export const OrderId = z.string().regex(ORDER_ID_PATTERN)
export const Order = z.strictObject({
  id: OrderId,
  status: OrderStatus,
  lines: z.array(OrderLine),
  totalCents: z.int().min(0),
  expiresAt: Millis,
})

// ---- request bodies ----------------------------------------------------------------------

export const SessionBody = z.strictObject({ user: UserName })
export const CreateProductBody = z.strictObject({
  sku: Sku.refine((sku) => !isDotSegment(sku), 'may not be "." or "..": URLs resolve them away'),
  title: Title,
  priceCents: PriceCents,
  onHand: Count,
})
export const PatchProductBody = z
  .strictObject({ title: Title, priceCents: PriceCents, onHand: Count })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one of title, priceCents, onHand')
export const RestockBody = z.strictObject({ qty: z.int().min(1).max(LIMITS.restockMax) })
export const SetCartQtyBody = z.strictObject({ qty: z.int().min(0).max(LIMITS.qtyMax) })

// ---- actions -----------------------------------------------------------------------------

export const CART_LINE_REMOVED_REASONS = [
  'removed',
  'expired',
  'checked-out',
  'product-removed',
] as const

export const ProductUpserted = z.strictObject({
  type: z.literal('product/upserted'),
  payload: Product,
})
export const ProductRemoved = z.strictObject({
  type: z.literal('product/removed'),
  payload: z.strictObject({ sku: Sku, version: Version }),
})
export const StockChanged = z.strictObject({
  type: z.literal('stock/changed'),
  payload: z.strictObject({ sku: Sku, onHand: Count, held: Count, version: Version }),
})
export const CartLineSet = z.strictObject({
  type: z.literal('cart/line-set'),
  payload: z.strictObject({ user: UserName, sku: Sku, qty: LineQty, expiresAt: Millis }),
})
export const CartLineRemoved = z.strictObject({
  type: z.literal('cart/line-removed'),
  payload: z.strictObject({
    user: UserName,
    sku: Sku,
    reason: z.enum(CART_LINE_REMOVED_REASONS),
  }),
})
export const OrderPlaced = z.strictObject({
  type: z.literal('order/placed'),
  payload: z.strictObject({ user: UserName, order: Order }),
})
const orderEvent = <T extends string>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    payload: z.strictObject({ user: UserName, orderId: OrderId }),
  })
export const OrderPaid = orderEvent('order/paid')
export const OrderExpired = orderEvent('order/expired')
export const OrderCancelled = orderEvent('order/cancelled')

export const Action = z.discriminatedUnion('type', [
  ProductUpserted,
  ProductRemoved,
  StockChanged,
  CartLineSet,
  CartLineRemoved,
  OrderPlaced,
  OrderPaid,
  OrderExpired,
  OrderCancelled,
])

export const Commit = z.strictObject({ seq: z.int().min(1), at: Millis, actions: z.array(Action) })

export const Snapshot = z.strictObject({
  epoch: Epoch,
  seq: z.int().min(0),
  serverTime: Millis,
  products: z.array(Product),
  cart: z.array(CartLine),
  orders: z.array(Order),
})
