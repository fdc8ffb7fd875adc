// Where a stream's bytes go. Under Node the frames are written straight to the socket (no web
// stream in between: the fan-out's hot path); under `app.request()` into a web ReadableStream.
import type { ServerResponse } from 'node:http'

export interface Sink {
  write(chunk: Buffer): void
  /** Bytes accepted but not yet handed to the peer. */
  bufferedBytes(): number
  onDrain(fn: () => void): void
  end(): void
  /** Called once when the peer goes away or the stream ends. */
  onClose(fn: () => void): void
}

/** Writes to the response's socket. A class, so idle streams share its methods. */
class NodeSink implements Sink {
  readonly #res: ServerResponse

  constructor(res: ServerResponse, headers: Record<string, string>) {
    this.#res = res
    res.writeHead(200, headers)
    res.socket?.setNoDelay(true)
  }

  write(chunk: Buffer): void {
    this.#res.write(chunk)
  }

  bufferedBytes(): number {
    return this.#res.writableLength
  }

  onDrain(fn: () => void): void {
    this.#res.once('drain', fn)
  }

  end(): void {
    this.#res.end()
  }

  onClose(fn: () => void): void {
    // A peer that left before the stream opened has had its 'close' already. `on`, not `once`:
    // a response closes once, and `once` would add a wrapper and a bound function per stream.
    if (this.#res.closed || this.#res.socket?.destroyed) queueMicrotask(fn)
    else this.#res.on('close', fn)
  }
}

export const nodeSink = (res: ServerResponse, headers: Record<string, string>): Sink =>
  new NodeSink(res, headers)

/** A sink whose bytes are read from `body`; it closes when `signal` aborts or the body is cancelled. */
export const webSink = (signal: AbortSignal): { sink: Sink; body: ReadableStream<Uint8Array> } => {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let queued = 0
  let closed = false
  const closers: Array<() => void> = []
  const drains: Array<() => void> = []
  const close = () => {
    if (closed) return
    closed = true
    for (const fn of closers.splice(0)) fn()
  }
  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c
      },
      pull: () => {
        queued = 0
        for (const fn of drains.splice(0)) fn()
      },
      cancel: close,
    },
    { highWaterMark: 0 },
  )
  if (signal.aborted) close()
  else signal.addEventListener('abort', close, { once: true })
  return {
    body,
    sink: {
      write(chunk) {
        if (closed) return
        queued += chunk.byteLength
        controller.enqueue(new Uint8Array(chunk))
      },
      bufferedBytes: () => queued,
      onDrain: (fn) => void drains.push(fn),
      end() {
        if (closed) return
        try {
          controller.close()
        } finally {
          close()
        }
      },
      // Deferred like the node sink's: the caller finishes registering the stream first.
      onClose: (fn) => (closed ? queueMicrotask(fn) : void closers.push(fn)),
    },
  }
}
