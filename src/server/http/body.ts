// Request bodies: JSON only, strict schemas; a refusal names what was wrong.
import type { Context } from 'hono'
import { z } from 'zod'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv } from './env.js'

/** Reads and validates a JSON body; returns the valid value and the JSON as it was parsed. */
export const readJson = <S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
): { value: z.infer<S>; raw: unknown } => {
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
  return { value: parse(schema, raw, 'body'), raw }
}

const NoMembers = z.strictObject({})

/**
 * For a command that takes no body: none, an empty one, or JSON `{}` (what some clients send with
 * every POST). Anything else is refused like a bad body anywhere: text that is not JSON, or a member.
 */
export const refuseBody = (c: Context<AppEnv>): undefined => {
  if ((c.get('body') ?? '').trim() !== '') readJson(c, NoMembers)
  return undefined
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
