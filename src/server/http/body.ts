// Request bodies: JSON only, strict schemas; a refusal names what was wrong.
import type { Context } from 'hono'
import type { z } from 'zod'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv } from './env.js'

/** Reads and validates a JSON body; returns the parsed value and its canonical text. */
export const readJson = <S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
): { value: z.infer<S>; text: string } => {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ShelfsyncError(
      'request/invalid',
      'Send the body as JSON with Content-Type: application/json.',
    )
  }
  let raw: unknown
  try {
    raw = JSON.parse(c.get('body') ?? '')
  } catch {
    throw new ShelfsyncError('request/invalid', 'The body is not valid JSON.')
  }
  return { value: parse(schema, raw, 'body'), text: JSON.stringify(raw) }
}

/** Validates `value` against `schema` or refuses with 400 and the list of problems. */
export const parse = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  const first = issues[0]
  throw new ShelfsyncError(
    'request/invalid',
    `The ${what} is not valid${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}.`,
    { issues },
  )
}
