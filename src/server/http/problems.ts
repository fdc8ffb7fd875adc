// Every error leaves as application/problem+json; unknown failures become a 500 without details.
import type { ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ShelfsyncError } from '../errors.js'

export const onError =
  (log: (message: string, error: unknown) => void): ErrorHandler =>
  (error) => {
    if (error instanceof ShelfsyncError) return error.toResponse()
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? 'request/too-large' : 'request/invalid'
      return new ShelfsyncError(code, error.message || 'The request was refused.').toResponse()
    }
    log('unexpected error', error)
    return new ShelfsyncError('server/internal', 'Something went wrong on the server.').toResponse()
  }

export const notFound: NotFoundHandler = (c) =>
  new ShelfsyncError(
    'request/not-found',
    `There is no route ${c.req.method} ${c.req.path}.`,
  ).toResponse()
