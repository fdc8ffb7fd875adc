// One open event stream: a sink plus its user, its bounds and when it last sent anything.
// A class rather than a closure-made object: thousands of idle streams share one set of methods
// instead of each holding a dozen closures and their scopes (bench/README.md, memory per stream).
import type { Subscriber } from './fanout.js'
import { PING_FRAME, retryFrame } from './frames.js'
import type { Sink } from './sinks.js'

export interface OpenStream extends Subscriber {
  /** When anything was last written (ms, wall clock). */
  readonly lastWriteAt: number
  /** When the stream's token expires (ms), or Infinity. */
  readonly expiresAt: number
  ping(): void
  readonly ended: boolean
}

export interface StreamBounds {
  /** A reader whose queue passes this many bytes is disconnected (it resumes later). */
  maxQueuedBytes: number
  /** Catch-up pauses while the queue is above this. */
  softQueuedBytes: number
}

export interface OpenStreamInput {
  user: string
  sink: Sink
  bounds: StreamBounds
  expiresAt: number
  /** The `retry:` hint written before the stream ends, so clients come back spread out. */
  retryMs: () => number
  /** Called once, when the stream ends for any reason (the peer going away included). */
  onEnd: (stream: OpenStream, reason: string) => void
}

class EventStream implements OpenStream {
  readonly user: string
  readonly expiresAt: number
  lastWriteAt = Date.now()
  ended = false
  readonly #sink: Sink
  readonly #bounds: StreamBounds
  readonly #retryMs: () => number
  readonly #onEnd: OpenStreamInput['onEnd']

  constructor({ user, sink, bounds, expiresAt, retryMs, onEnd }: OpenStreamInput) {
    this.user = user
    this.expiresAt = expiresAt
    this.#sink = sink
    this.#bounds = bounds
    this.#retryMs = retryMs
    this.#onEnd = onEnd
    sink.onClose(() => this.end('client-gone'))
  }

  send(frame: Buffer): void {
    if (this.ended) return
    this.#sink.write(frame)
    this.lastWriteAt = Date.now()
    if (this.#sink.bufferedBytes() > this.#bounds.maxQueuedBytes) this.end('slow-reader')
  }

  ping(): void {
    if (this.ended) return
    this.#sink.write(PING_FRAME)
    this.lastWriteAt = Date.now()
  }

  congested(): boolean {
    return this.#sink.bufferedBytes() > this.#bounds.softQueuedBytes
  }

  onDrain(fn: () => void): void {
    this.#sink.onDrain(fn)
  }

  end(reason: string): void {
    if (this.ended) return
    this.ended = true
    if (reason !== 'client-gone') {
      this.#sink.write(retryFrame(this.#retryMs()))
      this.#sink.end()
    }
    this.#onEnd(this, reason)
  }
}

export const openStream = (input: OpenStreamInput): OpenStream => new EventStream(input)
