// The stable error codes of the protocol and the HTTP status of each, in one table.

export const ERROR_STATUS = {
  'request/invalid': 400,
  'request/not-found': 404,
  'request/too-large': 413,
  'request/timeout': 408,
  'request/idempotency-mismatch': 422,
  'request/in-flight': 409,
  'auth/required': 401,
  'auth/invalid': 401,
  'auth/expired': 401,
  'auth/forbidden': 403,
  'auth/origin': 403,
  'product/not-found': 404,
  'product/exists': 409,
  'product/version-mismatch': 412,
  'stock/insufficient': 409,
  'stock/below-held': 409,
  'cart/empty': 409,
  'cart/too-many-lines': 409,
  'cart/too-many-units': 409,
  'order/not-found': 404,
  'order/not-pending': 409,
  'limit/rate': 429,
  'limit/streams': 429,
  'server/unavailable': 503,
  'server/internal': 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

/** An RFC 9457 problem document as the server sends it. Extra members (such as `available`) may follow. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: ErrorCode
  [extra: string]: unknown
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value)
