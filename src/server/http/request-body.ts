// Request bodies, read once up to a size limit and within a deadline. Two steps: a body whose
// Content-Length passes the limit is refused (413) before anything else, even the identity; the
// bytes themselves are read only once the caller is known (and within its rate), so an anonymous
// client cannot make the server wait for a slow body. A body that has not all come within the
// deadline is refused with 408, so a known client cannot hold a request open either.
//
// Under @hono/node-server the bytes come straight from Node's IncomingMessage. Reading them
// through `c.req` instead would make the adapter build a full web `Request` with a web stream
// over the socket for every command: about a quarter of a cart hold's CPU (bench/commands).
import type { IncomingMessage } from 'node:http'
import type { Context, MiddlewareHandler } from 'hono'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv } from './env.js'

const tooLarge = (maxBytes: number): ShelfsyncError =>
  new ShelfsyncError('request/too-large', `The body may be at most ${maxBytes} bytes.`, {
    limit: maxBytes,
  })

const cutShort = (): ShelfsyncError =>
  new ShelfsyncError('request/invalid', 'The client went away while sending the body.')

// The rest of the body may still come, so the connection is closed after the answer: it says so.
const tooSlow = (timeoutMs: number): ShelfsyncError =>
  new ShelfsyncError(
    'request/timeout',
    `The body did not all arrive within ${timeoutMs} ms.`,
    { timeoutMs },
    { Connection: 'close' },
  )

/** How long a body may take, and how large it may be. */
export interface BodyBounds {
  maxBytes: number
  timeoutMs: number
}

/**
 * The body's bytes, or `null` as soon as they pass `maxBytes` (the rest is left unread). Rejects
 * with 408 once `timeoutMs` has passed.
 */
const readIncoming = (
  incoming: IncomingMessage,
  { maxBytes, timeoutMs }: BodyBounds,
): Promise<Uint8Array | null> =>
  new Promise((resolve, reject) => {
    if (incoming.readableEnded) {
      resolve(new Uint8Array(0))
      return
    }
    // Gone before we listened: no event would ever come.
    if (incoming.destroyed || incoming.errored) {
      reject(cutShort())
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const settle = (): void => {
      clearTimeout(timer)
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('aborted', onAborted)
      incoming.off('close', onAborted)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= maxBytes) {
        chunks.push(chunk)
        return
      }
      settle()
      // The adapter drains or closes what is left once the 413 has gone out.
      incoming.pause()
      resolve(null)
    }
    const onEnd = (): void => {
      settle()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (error: Error): void => {
      settle()
      reject(error)
    }
    // Nobody is left to read the answer; a 400 keeps it out of the log of unexpected errors.
    const onAborted = (): void => onError(cutShort())
    // Once the answer has gone out, the adapter drains what is left for a moment, then closes.
    const timer = setTimeout(() => {
      settle()
      incoming.pause()
      reject(tooSlow(timeoutMs))
    }, timeoutMs)
    incoming.on('data', onData)
    incoming.once('end', onEnd)
    incoming.once('error', onError)
    incoming.once('aborted', onAborted)
    incoming.once('close', onAborted)
  })

/** The same from a web `Request` (`app.request()`, other runtimes). */
const readWeb = async (body: ReadableStream<Uint8Array>, { maxBytes, timeoutMs }: BodyBounds) => {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let late = false
  // Cancelling ends the pending read (done), so the loop below stops.
  const timer = setTimeout(() => {
    late = true
    reader.cancel().catch(() => {})
  }, timeoutMs)
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch {
        throw late ? tooSlow(timeoutMs) : cutShort()
      }
      if (late) throw tooSlow(timeoutMs)
      const { done, value } = chunk
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel().catch(() => {})
        return null
      }
      chunks.push(value)
    }
  } finally {
    clearTimeout(timer)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

const readLimited = (c: Context<AppEnv>, bounds: BodyBounds): Promise<Uint8Array | null> => {
  const incoming = c.env?.incoming
  if (incoming) return readIncoming(incoming, bounds)
  const body = c.req.raw.body
  return body ? readWeb(body, bounds) : Promise.resolve(new Uint8Array(0))
}

const hasBody = (method: string): boolean =>
  method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS'

const refuseIfDeclaredTooLarge = (c: Context<AppEnv>, maxBytes: number): void => {
  const declared = c.req.header('content-length')
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes)
}

/**
 * Refuses with 413 `request/too-large`, before anything else, a request whose `Content-Length`
 * passes `maxBytes`. Reads nothing.
 *
 * @example
 * app.use('/api/*', refuseDeclaredTooLarge(16 * 1024))
 */
export const refuseDeclaredTooLarge =
  (maxBytes: number): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (hasBody(c.req.method)) refuseIfDeclaredTooLarge(c, maxBytes)
    return next()
  }

/**
 * Reads the body of every request but GET, HEAD and OPTIONS into `c.get('body')` (UTF-8 text, a
 * byte order mark dropped as `Request.text()` does), refusing one over `maxBytes` with 413
 * `request/too-large` once that many bytes came, and one not all come within `timeoutMs` with 408
 * `request/timeout`. Reads once: a second use passes.
 *
 * @example
 * app.use('/api/*', readBody({ maxBytes: 16 * 1024, timeoutMs: 10_000 }))
 * app.post('/api/things', (c) => c.text(c.get('body')))
 */
export const readBody =
  (bounds: BodyBounds): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!hasBody(c.req.method) || c.get('body') !== undefined) return next()
    const { maxBytes } = bounds
    refuseIfDeclaredTooLarge(c, maxBytes)
    const bytes = await readLimited(c, bounds)
    if (bytes === null) throw tooLarge(maxBytes)
    c.set('body', new TextDecoder().decode(bytes))
    return next()
  }
