// A reader that never reads is disconnected once its send queue passes the bound; the server's
// memory for it stays bounded and a reader that keeps up gets every commit.
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startHttpServer } from '../support/http-server.js'
import { apiAs } from '../support/server.js'
import { readSse } from '../support/sse.js'

const TOTAL = 30_000

describe('a reader that never reads', () => {
  it('is disconnected at the queue bound while a reader that keeps up gets everything', async () => {
    const maxQueuedBytes = 64 * 1024
    const server = await startHttpServer({
      limits: { stream: { maxQueuedBytes, softQueuedBytes: 16 * 1024 } },
    })
    try {
      const admin = apiAs(server.shop.app, server.shop.signToken('admin'))
      expect(
        (await admin.post('/api/products', { sku: 'p', title: 'x', priceCents: 1, onHand: 1 }))
          .status,
      ).toBe(201)

      // The stalled reader: a raw socket that sends the request and then never reads.
      const stalled = connect(server.port, '127.0.0.1')
      await new Promise<void>((resolve) => stalled.once('connect', () => resolve()))
      stalled.pause()
      stalled.write(
        `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.shop.signToken('slow')}\r\n\r\n`,
      )
      let stalledClosed = false
      stalled.once('close', () => {
        stalledClosed = true
      })

      const keeping = await server.fetchAs('ann', '/api/events')
      const reader = readSse(keeping)
      const snapshot = await reader.nextEvent()
      const fromSeq = JSON.parse(snapshot.data ?? '{}').seq as number
      while (server.shop.streamCount < 2) await new Promise((r) => setTimeout(r, 5))

      // Large public commits until the stalled stream is ended (kernel buffers absorb a few MB first).
      const title = 't'.repeat(190)
      let commits = 0
      let received = 0
      let lastSeq = fromSeq
      let caughtUp: (() => void) | undefined
      const readAll = (async () => {
        for (;;) {
          const frame = await reader.nextEvent(10_000)
          received++
          lastSeq = JSON.parse(frame.data ?? '{}').seq as number
          if (lastSeq === fromSeq + commits) caughtUp?.()
          if (lastSeq === fromSeq + TOTAL) return
        }
      })()
      // The good reader shares this thread: the writer waits for it every 20 commits (~7 KB),
      // so only the stalled reader ever falls behind.
      while (commits < TOTAL) {
        const res = await admin.patch('/api/products/p', { title: `${title}${commits % 10}` })
        expect(res.status).toBe(200)
        commits++
        if (commits % 20 === 0 && lastSeq < fromSeq + commits) {
          await new Promise<void>((resolve) => {
            caughtUp = resolve
          })
        }
      }
      await readAll
      expect(received).toBe(commits)
      expect(server.shop.streamCount).toBe(1)
      const metrics = await (await fetch(`${server.url}/metrics`)).text()
      expect(metrics).toMatch(/^shelfsync_slow_readers_disconnected_total 1$/m)
      stalled.destroy()
      expect(stalledClosed || stalled.destroyed).toBe(true)
      await reader.close()
    } finally {
      await server.stop()
    }
  }, 60_000)
})
