// Judges the answer to `GET /api/events`: a stream to read, a refusal (401/403: stop, unless the
// token may be renewed), or a failure to retry after, with the server's problem code and detail
// when it sent application/problem+json.
import { EVENT_STREAM_CONTENT_TYPE, HEADERS } from '../../actions/index.js'
import { parseRetryAfter } from './backoff.js'
import type { FailureKind } from './machine.js'
import type { ConnectionError } from './types.js'

export type Verdict =
  | { type: 'stream'; body: ReadableStream<Uint8Array> }
  | { type: 'refused'; status: 401 | 403; error: ConnectionError }
  | { type: 'failed'; kind: FailureKind; error: ConnectionError; retryAfterMs: number | null }

interface ProblemParts {
  code?: string
  detail?: string
}

const readProblem = async (res: Response): Promise<ProblemParts> => {
  const type = res.headers.get('content-type') ?? ''
  if (!/json/i.test(type)) {
    await res.body?.cancel().catch(() => {})
    return {}
  }
  try {
    const body: unknown = JSON.parse(await res.text())
    if (typeof body !== 'object' || body === null) return {}
    const { code, detail, title } = body as Record<string, unknown>
    const parts: ProblemParts = {}
    if (typeof code === 'string') parts.code = code
    if (typeof detail === 'string') parts.detail = detail
    else if (typeof title === 'string') parts.detail = title
    return parts
  } catch {
    return {}
  }
}

const isEventStream = (res: Response): boolean =>
  (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ===
  EVENT_STREAM_CONTENT_TYPE

/**
 * What to do with an answer. Reads (or cancels) the body unless it is the stream to follow.
 *
 * @example
 * const verdict = await judgeResponse(await fetch(url, init), Date.now())
 * if (verdict.type === 'refused') console.log(verdict.error.code) // e.g. 'auth/expired'
 */
export const judgeResponse = async (res: Response, now: number): Promise<Verdict> => {
  if (res.status === 200) {
    if (isEventStream(res) && res.body) return { type: 'stream', body: res.body }
    await res.body?.cancel().catch(() => {})
    const type = res.headers.get('content-type') ?? 'none'
    return {
      type: 'failed',
      kind: 'content-type',
      error: {
        code: 'content-type',
        message: `Expected an event stream, got ${type}.`,
        status: 200,
      },
      retryAfterMs: null,
    }
  }

  const problem = await readProblem(res)
  const said = `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`
  if (res.status === 401 || res.status === 403) {
    const code = problem.code ?? (res.status === 401 ? 'auth/required' : 'auth/forbidden')
    return {
      type: 'refused',
      status: res.status,
      error: { code, message: problem.detail ?? said, status: res.status },
    }
  }
  const kind: FailureKind =
    res.status === 429 ? 'http-429' : res.status >= 500 ? 'http-5xx' : 'http'
  return {
    type: 'failed',
    kind,
    error: { code: problem.code ?? 'http', message: problem.detail ?? said, status: res.status },
    retryAfterMs: parseRetryAfter(res.headers.get(HEADERS.retryAfter), now),
  }
}
