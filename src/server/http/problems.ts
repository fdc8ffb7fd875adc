// Every error leaves as application/problem+json; unknown failures become a 500 without details.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ShelfsyncError } from '../errors.js'

/** The problem document of `error`, made through the context so it keeps the security headers. */
const answer = (c: Context, error: ShelfsyncError): Response =>
  c.body(
    JSON.stringify(error.toProblem()),
    error.status as ContentfulStatusCode,
    error.responseHeaders(),
  )

export const onError =
  (log: (message: string, error: unknown) => void): ErrorHandler =>
  (error, c) => {
    if (error instanceof ShelfsyncError) return answer(c, error)
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? 'request/too-large' : 'request/invalid'
      return answer(c, new ShelfsyncError(code, error.message || 'The request was refused.'))
    }
    log('unexpected error', error)
    return answer(c, new ShelfsyncError('server/internal', 'Something went wrong on the server.'))
  }

export const notFound: NotFoundHandler = (c) =>
  answer(
    c,
    new ShelfsyncError('request/not-found', `There is no route ${c.req.method} ${c.req.path}.`),
  )
