// Reads `If-Match`: `*`, or a list of entity tags (RFC 9110). Shelfsync's tags are `"<version>"`;
// `W/"7"` and a bare `7` are taken as `"7"` too (docs/protocol-notes.md).
import { ShelfsyncError } from '../errors.js'

/** One element of the list, then a comma or the end; empty elements around it are skipped (RFC 9110, 5.6.1.2). */
const ELEMENT = /[\s,]*(?:W\/"([\x21\x23-\x7e]*)"|"([\x21\x23-\x7e]*)"|([0-9]+))\s*(?:,[\s,]*|$)/y

/**
 * The tags an `If-Match` names, or null when it names none to check (absent, or `*`). A tag that
 * is well formed but is no version of the product (`"0"`, `"abc"`) is simply another version: 412.
 *
 * @example
 * ifMatchTags('"7"') // ['7']
 * ifMatchTags('W/"7", "8"') // ['7', '8']
 * ifMatchTags('"7') // throws 400 request/invalid
 */
export const ifMatchTags = (header: string | undefined): string[] | null => {
  if (header === undefined || header.trim() === '*') return null
  const tags: string[] = []
  ELEMENT.lastIndex = 0
  while (ELEMENT.lastIndex < header.length) {
    const match = ELEMENT.exec(header)
    const tag = match?.[1] ?? match?.[2] ?? match?.[3]
    if (tag === undefined) {
      throw new ShelfsyncError(
        'request/invalid',
        'If-Match must be * or entity tags such as "3" (a product\'s version, as its ETag says).',
      )
    }
    tags.push(tag)
  }
  if (tags.length === 0) {
    throw new ShelfsyncError('request/invalid', 'If-Match is empty; send a version such as "3".')
  }
  return tags
}

/**
 * `If-Match` as a request's fingerprint takes it: the tags it names, written one way (`"7"`), so
 * `W/"7"` and `"7"` are the same request. A header that cannot be read stays as it came (the
 * routes that ignore If-Match take it as it is).
 */
export const ifMatchForFingerprint = (header: string): string => {
  try {
    const tags = ifMatchTags(header)
    return tags === null ? '*' : tags.map((tag) => `"${tag}"`).join(', ')
  } catch {
    return header
  }
}
