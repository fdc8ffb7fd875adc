// One open event stream: a sink plus its user, its bounds and when it last sent anything.
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

export const openStream = (input: {
  user: string
  sink: Sink
  bounds: StreamBounds
  expiresAt: number
  /** The `retry:` hint written before the stream ends, so clients come back spread out. */
  retryMs: () => number
  onEnd: (reason: string) => void
}): OpenStream => {
  const { user, sink, bounds, expiresAt, retryMs, onEnd } = input
  let lastWriteAt = Date.now()
  let ended = false

  const end = (reason: string) => {
    if (ended) return
    ended = true
    if (reason !== 'client-gone') {
      sink.write(retryFrame(retryMs()))
      sink.end()
    }
    onEnd(reason)
  }
  sink.onClose(() => end('client-gone'))

  return {
    user,
    expiresAt,
    get lastWriteAt() {
      return lastWriteAt
    },
    get ended() {
      return ended
    },
    send(frame) {
      if (ended) return
      sink.write(frame)
      lastWriteAt = Date.now()
      if (sink.bufferedBytes() > bounds.maxQueuedBytes) end('slow-reader')
    },
    ping() {
      if (ended) return
      sink.write(PING_FRAME)
      lastWriteAt = Date.now()
    },
    congested: () => sink.bufferedBytes() > bounds.softQueuedBytes,
    onDrain: (fn) => sink.onDrain(fn),
    end,
  }
}
