// One HTTP request to the Shelfsync API with bounded retries: network errors, 5xx, 429, 408 (the
// body came too slowly) and 409 `request/in-flight` are tried again (429 after its
// `Retry-After`), with the same `Idempotency-Key` so the server carries the command out once.
// Other 4xx are final. Answers become `CommandResult`s, never exceptions.
import type { ErrorCode, Problem } from '../actions/index.js'
import { HEADERS, isErrorCode } from '../actions/index.js'
import { errorMessage } from './error-message.js'
import { parseJson } from './json.js'
import { fullJitter, parseRetryAfter } from './sync/backoff.js'
import type { Timers } from './sync/types.js'

export type CommandResult<T> =
  | { ok: true; value: T /** The server replayed a stored answer. */; replayed: boolean }
  | { ok: false; problem: Problem }

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  headers?: Record<string, string>
  /** Sent as `Idempotency-Key` on the first try and on every retry. */
  idempotencyKey?: string
  /** Overrides the default: `include` without a token, the platform's default with one. */
  credentials?: RequestCredentials
}

export interface HttpOptions {
  baseUrl: string
  fetch: typeof fetch
  /**
   * The bearer token; without one, cookies are sent (`credentials: 'include'`). Read once per
   * request: its retries go under the same identity, even if another user has signed in since.
   */
  getToken(): string | null | undefined
  timers: Timers
  random(): number
  /** Retries after the first try (default 3). */
  retries?: number
  /** Full-jitter backoff: delay = random() * min(capMs, baseMs * 2 ** retry). */
  backoff?: { baseMs?: number; capMs?: number }
  /** A `Retry-After` longer than this is not waited for; the request is refused (default 60 s). */
  maxRetryAfterMs?: number
  /**
   * One try is given up after this long (default 15 s) and counts as a network error, retried
   * with the same Idempotency-Key: a stalled keep-alive connection must not hang a command.
   */
  tryTimeoutMs?: number
}

export interface Http {
  send<T>(request: HttpRequest): Promise<CommandResult<T>>
}

const TITLES: Record<number, string> = { 429: 'Too Many Requests', 503: 'Service Unavailable' }

/** A problem document made on this side, for failures the server did not describe. */
export const localProblem = (code: ErrorCode, status: number, detail: string): Problem => ({
  type: 'about:blank',
  title: TITLES[status] ?? code,
  status,
  detail,
  code,
})

const codeForStatus = (status: number): ErrorCode => {
  if (status === 401) return 'auth/required'
  if (status === 403) return 'auth/forbidden'
  if (status === 404) return 'request/not-found'
  if (status === 408) return 'request/timeout'
  if (status === 413) return 'request/too-large'
  if (status === 429) return 'limit/rate'
  if (status === 503) return 'server/unavailable'
  return status >= 500 ? 'server/internal' : 'request/invalid'
}

const problemOf = (response: Response, body: unknown): Problem => {
  if (typeof body === 'object' && body !== null && isErrorCode((body as Problem).code)) {
    const problem = body as Problem
    return { ...problem, status: response.status }
  }
  const detail = `${response.status} ${response.statusText}`.trim()
  return localProblem(codeForStatus(response.status), response.status, detail)
}

type Outcome<T> =
  | { final: CommandResult<T> }
  | { retry: Problem; waitMs: number | null /* null: use backoff */ }

/**
 * Creates the request function the commands use.
 *
 * @example
 * ```ts
 * const http = createHttp({ baseUrl: '', fetch, getToken: () => token, timers, random: Math.random })
 * const result = await http.send<{ seq: number }>({ method: 'DELETE', path: '/api/cart/lines/tee', idempotencyKey: 'c1-x' })
 * ```
 */
export const createHttp = (options: HttpOptions): Http => {
  const retries = options.retries ?? 3
  if (!Number.isInteger(retries) || retries < 0) {
    throw new TypeError(
      `retries must be a whole number, 0 or more; got ${JSON.stringify(retries)}.`,
    )
  }
  const policy = {
    baseMs: options.backoff?.baseMs ?? 250,
    capMs: options.backoff?.capMs ?? 5_000,
  }
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
  const { timers } = options

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      timers.setTimeout(resolve, ms)
    })

  const initOf = (request: HttpRequest, token: string | null | undefined): RequestInit => {
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers }
    if (request.body !== undefined) headers['Content-Type'] = 'application/json'
    if (request.idempotencyKey !== undefined) {
      headers[HEADERS.idempotencyKey] = request.idempotencyKey
    }
    if (token) headers[HEADERS.authorization] = `Bearer ${token}`
    return {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      ...(request.credentials !== undefined
        ? { credentials: request.credentials }
        : token
          ? {}
          : { credentials: 'include' as const }),
    }
  }

  const attempt = async <T>(
    request: HttpRequest,
    token: string | null | undefined,
  ): Promise<Outcome<T>> => {
    let response: Response
    let body: unknown
    const abort = new AbortController()
    const timeoutMs = options.tryTimeoutMs ?? 15_000
    const timer = timers.setTimeout(
      () => abort.abort(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    )
    try {
      response = await options.fetch(`${options.baseUrl}${request.path}`, {
        ...initOf(request, token),
        signal: abort.signal,
      })
      body = parseJson(await response.text())
    } catch (error) {
      const reason = abort.signal.aborted ? abort.signal.reason : error
      const detail = `network error: ${errorMessage(reason)}`
      return { retry: localProblem('server/unavailable', 503, detail), waitMs: null }
    } finally {
      timers.clearTimeout(timer)
    }
    if (response.ok) {
      if (body === undefined) {
        const detail = `the ${response.status} answer is not JSON`
        return { final: { ok: false, problem: localProblem('server/internal', 500, detail) } }
      }
      const replayed = response.headers.get(HEADERS.idempotentReplayed) === 'true'
      return { final: { ok: true, value: body as T, replayed } }
    }
    const problem = problemOf(response, body)
    if (response.status === 429) {
      const wait = parseRetryAfter(response.headers.get(HEADERS.retryAfter), timers.now())
      return { retry: problem, waitMs: wait }
    }
    // 408: the body reached the server too slowly to be read; nothing was carried out.
    if (response.status >= 500 || response.status === 408) return { retry: problem, waitMs: null }
    // The first try with this key is still being carried out (its answer was lost on the way,
    // say): once it has finished, the same key gets its stored answer.
    if (problem.code === 'request/in-flight') return { retry: problem, waitMs: null }
    return { final: { ok: false, problem } }
  }

  return {
    async send<T>(request: HttpRequest): Promise<CommandResult<T>> {
      // A retry carries the same Idempotency-Key, so it must be the same user's request too.
      let token: string | null | undefined
      try {
        token = options.getToken()
      } catch (err) {
        // The host's token store failed (storage disabled, say): refuse, like every other failure.
        const detail = `reading the token threw: ${errorMessage(err)}`
        return { ok: false, problem: localProblem('auth/required', 401, detail) }
      }
      for (let retry = 0; ; retry += 1) {
        const outcome = await attempt<T>(request, token)
        if ('final' in outcome) return outcome.final
        const waitMs = outcome.waitMs ?? fullJitter(retry, policy, options.random())
        if (retry >= retries || waitMs > maxRetryAfterMs)
          return { ok: false, problem: outcome.retry }
        await sleep(waitMs)
      }
    },
  }
}
