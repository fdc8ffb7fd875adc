// Reads the response body as text a batch at a time: the next chunk, plus every chunk that
// arrives while the event loop takes one more turn for network input. A backlog (a catch-up) thus
// reaches the store in a few large batches rather than one per socket read (16 KiB or so), and each
// batch costs the store one copy of the records it touches. On a quiet live stream that turn finds
// nothing and the chunk is delivered alone, a fraction of a millisecond later.

const NOT_YET: unique symbol = Symbol('not yet')

/**
 * Resolves once the event loop has polled for input again. Node: two `setImmediate`s (the first
 * runs before the next poll, the second after it). Browsers: a zero timeout, one task later.
 */
const nextInputTurn = (): Promise<typeof NOT_YET> =>
  new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(() => setImmediate(() => resolve(NOT_YET)))
    else setTimeout(() => resolve(NOT_YET), 0)
  })

export interface TextBatch {
  text: string
  /** The stream has ended; `text` is what the decoder still held. */
  done: boolean
}

/**
 * @example
 * const batches = textBatches(body.getReader(), 256 * 1024, () => watchdog.kick())
 * for (let batch = await batches.next(); !batch.done; batch = await batches.next()) parser.feed(batch.text)
 */
export const textBatches = (
  reader: ReadableStreamDefaultReader<Uint8Array>,
  /** A batch stops taking chunks once it holds this many characters. */
  maxChars: number,
  /** Called for every chunk taken (the watchdog's sign of life). */
  onChunk: () => void,
): { next(): Promise<TextBatch> } => {
  const decoder = new TextDecoder()
  // A read may be left unawaited when the stream is aborted between batches: mark it handled
  // (awaiting it later still sees its error).
  const read = () => {
    const result = reader.read()
    result.catch(() => {})
    return result
  }
  let pending = read()
  return {
    /** Waits for the next chunk; rejects when the stream breaks (after what came before). */
    async next() {
      const first = await pending
      if (first.done) return { text: decoder.decode(), done: true }
      onChunk()
      let text = decoder.decode(first.value, { stream: true })
      for (;;) {
        pending = read()
        if (text.length >= maxChars) break
        // A failed read is left for the next call to report.
        const ready = await Promise.race([pending, nextInputTurn()]).catch(
          (): typeof NOT_YET => NOT_YET,
        )
        if (ready === NOT_YET || ready.done) break
        onChunk()
        text += decoder.decode(ready.value, { stream: true })
      }
      return { text, done: false }
    },
  }
}
