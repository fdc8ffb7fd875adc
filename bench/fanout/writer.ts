// The writer: commits (or publishes) over HTTP on a keep-alive agent, either at a steady rate or
// as fast as the slowest client keeps up with a bounded number of commits in flight.
import http from 'node:http'
import type { Fleet } from './fleet.js'

/** One write: Shelfsync's restock, a reference's publish call. `at` is the send time (ms). */
export interface WriteRequest {
  port: number
  path: string
  headers: Record<string, string>
  body: string
}

export type MakeWrite = (seq: number, at: number) => WriteRequest

export interface WriteStats {
  sent: number
  failed: number
  firstError: string | null
  elapsedMs: number
}

const createSender = (make: MakeWrite, sockets: number) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets })
  let seq = 0
  let inFlight = 0
  const stats = { sent: 0, failed: 0, firstError: null as string | null }
  const settle = (error: string | null) => {
    inFlight--
    if (error) {
      stats.failed++
      stats.firstError ??= error
    }
  }
  return {
    stats,
    get inFlight() {
      return inFlight
    },
    send(onDone: () => void) {
      seq++
      const write = make(seq, Date.now())
      inFlight++
      stats.sent++
      const request = http.request(
        {
          host: '127.0.0.1',
          port: write.port,
          path: write.path,
          method: 'POST',
          agent,
          headers: { 'Content-Length': Buffer.byteLength(write.body), ...write.headers },
        },
        (response) => {
          const ok = response.statusCode !== undefined && response.statusCode < 300
          response.resume()
          response.once('end', () => {
            settle(ok ? null : `HTTP ${response.statusCode}`)
            onDone()
          })
        },
      )
      request.once('error', (error) => {
        settle(error.message)
        onDone()
      })
      request.end(write.body)
    },
    close: () => agent.destroy(),
  }
}

/** `rate` writes a second for `durationMs`, paced by the clock, not by the answers. */
export const writeSteadily = async (
  make: MakeWrite,
  rate: number,
  durationMs: number,
): Promise<WriteStats> => {
  const sender = createSender(make, 4)
  const started = performance.now()
  const total = Math.max(1, Math.round((rate * durationMs) / 1000))
  await new Promise<void>((resolve) => {
    let issued = 0
    const tick = () => {
      // Catch up when a timer fires late, but never run more than 64 requests at once.
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1)
      while (issued < due && sender.inFlight < 64) {
        issued++
        sender.send(() => {})
      }
      if (issued >= total) return resolve()
      const nextAt = started + (issued * 1000) / rate
      setTimeout(tick, Math.max(0, nextAt - performance.now()))
    }
    tick()
  })
  const elapsedMs = performance.now() - started
  await waitUntil(() => sender.inFlight === 0, 10_000)
  sender.close()
  return { ...sender.stats, elapsedMs }
}

/**
 * Writes for `durationMs` as fast as the slowest client keeps up: at most `window` commits that
 * some client has not yet received. Returns when the writing stops (the caller drains).
 */
export const writeSaturated = async (
  make: MakeWrite,
  fleet: Fleet,
  input: { window: number; durationMs: number; sockets: number; onTick?: () => void },
): Promise<WriteStats> => {
  const sender = createSender(make, input.sockets)
  const started = performance.now()
  await new Promise<void>((resolve) => {
    let stopped = false
    const stop = () => {
      stopped = true
      clearInterval(timer)
      clearTimeout(finish)
      resolve()
    }
    const pump = () => {
      if (stopped) return
      if (performance.now() - started >= input.durationMs) return stop()
      const received = fleet.total().minCount
      const delivering = () => sender.stats.sent - sender.stats.failed - received
      while (sender.inFlight < input.sockets && delivering() < input.window) sender.send(pump)
    }
    fleet.progress(20, () => {
      input.onTick?.()
      pump()
    })
    // Progress stops arriving when nothing moves; keep looking so that the end time is kept.
    const timer = setInterval(pump, 50)
    const finish = setTimeout(pump, input.durationMs + 1)
    pump()
  })
  const elapsedMs = performance.now() - started
  await waitUntil(() => sender.inFlight === 0, 10_000)
  sender.close()
  return { ...sender.stats, elapsedMs }
}

export const waitUntil = async (
  ready: () => boolean,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> => {
  const deadline = performance.now() + timeoutMs
  while (!ready()) {
    if (performance.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return true
}
