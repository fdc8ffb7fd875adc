// Every open stream: heartbeats, token expiry, limits per user and in total, and shutdown.
import { type Clock, systemClock } from '../clock.js'
import { ShelfsyncError } from '../errors.js'
import type { OpenStream } from './open-stream.js'

export interface StreamLimits {
  perUser: number
  total: number
}

export const createStreamRegistry = (input: {
  heartbeatMs: number
  limits: StreamLimits
  /** The clock tokens are judged by (the server's, which tests move by hand). */
  clock?: Clock
}) => {
  const { heartbeatMs, limits, clock = systemClock } = input
  const streams = new Set<OpenStream>()
  const perUser = new Map<string, number>()
  let endedSlow = 0

  // One timer for all streams: a ping goes out after heartbeatMs to 1.25 × heartbeatMs of silence.
  // Silence is measured on the wall clock (timers are real); token expiry on the server's clock.
  const tick = () => {
    const now = Date.now()
    const tokenNow = clock.now()
    for (const stream of streams) {
      if (tokenNow >= stream.expiresAt) stream.end('token-expired')
      else if (now - stream.lastWriteAt >= heartbeatMs) stream.ping()
    }
  }
  const timer = setInterval(tick, Math.max(5, Math.floor(heartbeatMs / 4)))
  timer.unref()

  return {
    /** Refuses (429) a stream over the limits; call before opening one. */
    admit(user: string): void {
      if (streams.size >= limits.total) {
        throw new ShelfsyncError(
          'limit/streams',
          'The server has as many streams open as it allows.',
          {},
          { 'Retry-After': '5' },
        )
      }
      if ((perUser.get(user) ?? 0) >= limits.perUser) {
        throw new ShelfsyncError(
          'limit/streams',
          `At most ${limits.perUser} streams may be open per user.`,
          {},
          { 'Retry-After': '5' },
        )
      }
    },
    add(stream: OpenStream): void {
      streams.add(stream)
      perUser.set(stream.user, (perUser.get(stream.user) ?? 0) + 1)
    },
    remove(stream: OpenStream, reason: string): void {
      if (!streams.delete(stream)) return
      const left = (perUser.get(stream.user) ?? 1) - 1
      if (left > 0) perUser.set(stream.user, left)
      else perUser.delete(stream.user)
      if (reason === 'slow-reader') endedSlow++
    },
    get size() {
      return streams.size
    },
    get slowReadersEnded() {
      return endedSlow
    },
    endAll(reason: string): void {
      for (const stream of [...streams]) stream.end(reason)
    },
    stop(): void {
      clearInterval(timer)
    },
  }
}

export type StreamRegistry = ReturnType<typeof createStreamRegistry>
