// One error class with a stable code, mapped to HTTP status and a problem document in one place.
import {
  ERROR_STATUS,
  type ErrorCode,
  PROBLEM_CONTENT_TYPE,
  type Problem,
} from '../actions/index.js'

// RFC 9457's `title`: a short summary a person can read, one per code (the compiler checks that
// none is missing); `detail` says what happened this time.
const TITLES: Record<ErrorCode, string> = {
  'request/invalid': 'Invalid request',
  'request/not-found': 'No such route',
  'request/too-large': 'Request too large',
  'request/timeout': 'Request body too slow',
  'request/idempotency-mismatch': 'Idempotency-Key used for another request',
  'request/in-flight': 'Same request still in progress',
  'auth/required': 'Sign-in required',
  'auth/invalid': 'Invalid credentials',
  'auth/expired': 'Session expired',
  'auth/forbidden': 'Not allowed',
  'auth/origin': 'Request from another site',
  'product/not-found': 'No such product',
  'product/exists': 'Product exists already',
  'product/version-mismatch': 'Product changed meanwhile',
  'stock/insufficient': 'Not enough stock',
  'stock/below-held': 'Stock below what is held',
  'cart/empty': 'Cart is empty',
  'cart/too-many-lines': 'Too many cart lines',
  'cart/too-many-units': 'Too many units held',
  'order/not-found': 'No such order',
  'order/not-pending': 'Order no longer pending',
  'limit/rate': 'Too many changes',
  'limit/streams': 'Too many streams',
  'server/unavailable': 'Server unavailable',
  'server/internal': 'Internal error',
}

/** A refusal the protocol names. Thrown inside commands; the transaction rolls back. */
export class ShelfsyncError extends Error {
  readonly code: ErrorCode
  readonly extra: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(
    code: ErrorCode,
    detail: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail)
    this.name = 'ShelfsyncError'
    this.code = code
    this.extra = extra
    this.headers = headers
  }

  get status(): number {
    return ERROR_STATUS[this.code]
  }

  toProblem(): Problem {
    // Extra members come first so that none can replace a member RFC 9457 defines.
    return {
      ...this.extra,
      type: `urn:shelfsync:problem:${this.code}`,
      title: TITLES[this.code],
      status: this.status,
      detail: this.message,
      code: this.code,
    }
  }

  /**
   * The problem document as a Response, for host apps that answer with it themselves. Shelfsync's
   * own routes answer through the Hono context instead, which adds the security headers.
   */
  toResponse(): Response {
    return new Response(JSON.stringify(this.toProblem()), {
      status: this.status,
      headers: this.responseHeaders(),
    })
  }

  /** The headers of the answer: the problem content type and the error's own (`Retry-After`, …). */
  responseHeaders(): Record<string, string> {
    return { 'Content-Type': PROBLEM_CONTENT_TYPE, ...this.headers }
  }
}

export const isShelfsyncError = (error: unknown): error is ShelfsyncError =>
  error instanceof ShelfsyncError
