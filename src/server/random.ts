// Random ids from the operating system's generator: epochs, order ids, secrets.
import { randomBytes } from 'node:crypto'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** `length` characters of `[a-z0-9]`. */
export const randomId = (length: number): string => {
  const bytes = randomBytes(length * 2)
  let id = ''
  for (let i = 0; id.length < length && i < bytes.length; i++) {
    const byte = bytes[i] as number
    if (byte < 252) id += ALPHABET[byte % 36] // 252 = 7 × 36: no modulo bias
  }
  return id.length === length ? id : randomId(length)
}
