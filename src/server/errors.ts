// One error class with a stable code, mapped to HTTP status and a problem document in one place.
import {
  ERROR_STATUS,
  type ErrorCode,
  PROBLEM_CONTENT_TYPE,
  type Problem,
} from '../actions/index.js'

const TITLES: Partial<Record<ErrorCode, string>> = {
  'request/invalid': 'Invalid request',
  'request/too-large': 'Request too large',
  'request/timeout': 'Request body too slow',
  'auth/required': 'Sign-in required',
  'auth/invalid': 'Invalid credentials',
  'auth/expired': 'Session expired',
  'auth/forbidden': 'Not allowed',
  'stock/insufficient': 'Not enough stock',
  'product/version-mismatch': 'Product changed meanwhile',
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
      title: TITLES[this.code] ?? this.code,
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
