// Command ids, which are also the commands' `Idempotency-Key`s: unique per client and not
// guessable, and never integer-like, so records keyed by them keep insertion order.
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

const cryptoRandom = (): number => {
  const word = new Uint32Array(1)
  globalThis.crypto.getRandomValues(word)
  return (word[0] ?? 0) / 2 ** 32
}

/**
 * Makes a function returning fresh ids such as `c1-k3v9q2xw0a1b2c3d`. `random` (in [0, 1)) is
 * injectable for tests; by default the platform's crypto is used.
 *
 * @example
 * ```ts
 * const newId = createIdMaker()
 * newId() // 'c1-…', then 'c2-…'
 * ```
 */
export const createIdMaker = (random: () => number = cryptoRandom): (() => string) => {
  let count = 0
  return () => {
    count += 1
    let tail = ''
    for (let i = 0; i < 16; i += 1) tail += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '0'
    return `c${count.toString(36)}-${tail}`
  }
}
