// Assertions on problem documents (RFC 9457): the shape every refusal of the protocol shares.
import { expect } from 'vitest'
import type { ErrorCode, Problem } from '../../src/actions/index.js'

/** What an answer looks like to these helpers: a status, a parsed body and the headers. */
export interface Answered {
  status: number
  body: unknown
  headers: Headers
}

/**
 * Asserts that `answer` is the problem `code` with `status`, in the protocol's form and without
 * a stack trace or SQL, and returns the problem for further checks.
 */
export const expectProblem = (answer: Answered, status: number, code: ErrorCode): Problem => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status)
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json\b/)
  expect(answer.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  })
  // RFC 9457's title is for people: a summary of its own, not the code again.
  expect((answer.body as Problem).title).not.toBe(code)
  const text = JSON.stringify(answer.body)
  expect(text).not.toMatch(
    /\bat .+:\d+:\d+|node_modules|\bstack\b|SQLITE|\bSELECT\b|\bINSERT\b|\bUPDATE\b/,
  )
  return answer.body as Problem
}

/** Asserts a problem on a raw `Response` (for routes called without the test API). */
export const expectProblemResponse = async (
  response: Response,
  status: number,
  code: ErrorCode,
): Promise<Problem> => {
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return expectProblem({ status: response.status, body, headers: response.headers }, status, code)
}
