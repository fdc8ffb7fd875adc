// JSON from the network, where text that is not JSON is an answer to judge, not an exception.

/**
 * The parsed value, or `undefined` when `text` is not JSON.
 *
 * @example
 * parseJson('{"seq":7}') // { seq: 7 }
 * parseJson('<html>') // undefined
 */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
