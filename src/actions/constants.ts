// Protocol constants: paths, header names, event names and limits from the wire contract
// (../shared/spec/protocol.md, beside this repository). One place, so the server, the SDK and
// other services never spell them twice.

export const PROTOCOL_VERSION = 1

export const PATHS = {
  session: '/api/session',
  health: '/api/health',
  snapshot: '/api/snapshot',
  events: '/api/events',
  products: '/api/products',
  checkout: '/api/checkout',
  orders: '/api/orders',
  metrics: '/metrics',
} as const

const seg = (value: string): string => encodeURIComponent(value)

/** Builders for the paths that carry an id. */
export const pathOf = {
  product: (sku: string): string => `${PATHS.products}/${seg(sku)}`,
  restock: (sku: string): string => `${PATHS.products}/${seg(sku)}/restock`,
  cartLine: (sku: string): string => `/api/cart/lines/${seg(sku)}`,
  pay: (orderId: string): string => `${PATHS.orders}/${seg(orderId)}/pay`,
  cancel: (orderId: string): string => `${PATHS.orders}/${seg(orderId)}/cancel`,
} as const

export const HEADERS = {
  lastEventId: 'Last-Event-ID',
  idempotencyKey: 'Idempotency-Key',
  idempotentReplayed: 'Idempotent-Replayed',
  ifMatch: 'If-Match',
  etag: 'ETag',
  retryAfter: 'Retry-After',
  authorization: 'Authorization',
} as const

/** Query parameter that names a position when a client cannot set `Last-Event-ID`. */
export const AFTER_PARAM = 'after'

/** The SSE event name of a snapshot; commit events have no `event:` field. */
export const SNAPSHOT_EVENT = 'snapshot'

/** The SSE comment sent as a heartbeat (`: ping`). */
export const PING_COMMENT = 'ping'

export const SNAPSHOT_REASONS = [
  'initial',
  'unknown-epoch',
  'expired',
  'ahead',
  'malformed',
] as const
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number]

/** The cookie that `POST /api/session` sets; it holds the same token as the JSON answer. */
export const SESSION_COOKIE = 'shelfsync_token'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream'

export const LIMITS = {
  nameMaxLength: 64,
  titleMaxLength: 200,
  qtyMax: 99,
  restockMax: 1_000_000,
  onHandMax: 1_000_000_000,
  priceCentsMax: 100_000_000,
  idempotencyKeyMaxLength: 128,
} as const

/** `[A-Za-z0-9_.-]`, 1 to 64 characters: skus and user names. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/
/**
 * `.` and `..` match NAME_PATTERN, but as a path segment every URL resolves them away
 * (`/api/products/..` is `/api`, `%2e%2e` too), so no request could name such a product again:
 * they are refused as new skus.
 */
export const isDotSegment = (name: string): boolean => name === '.' || name === '..'
/** Order ids: 1 to 64 characters of `[A-Za-z0-9_-]`. */
export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
/** Epochs are 8 to 16 characters of `[a-z0-9]`. */
export const EPOCH_PATTERN = /^[a-z0-9]{8,16}$/
/** Idempotency keys: 1 to 128 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,128}$/
