// Streams on a real node:http socket (the node sink): the head on the wire, and a client that goes
// away leaving nothing behind, so its slot can be taken again.
import { connect, type Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type HttpTestServer, startHttpServer } from '../support/http-server.js'
import { waitUntil } from '../support/wait-until.js'

let server: HttpTestServer

beforeEach(async () => {
  server = await startHttpServer({ limits: { streams: { perUser: 2, total: 100 } } })
})
afterEach(async () => {
  await server.stop()
})

/** Opens `GET /api/events` on a raw socket and resolves with the socket and its first bytes. */
const openRaw = (user: string, extra = ''): Promise<{ socket: Socket; head: string }> =>
  new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    socket.once('error', reject)
    socket.once('connect', () =>
      socket.write(
        `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n` +
          `Authorization: Bearer ${server.shop.signToken(user)}\r\n${extra}\r\n`,
      ),
    )
    let text = ''
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1')
      if (!text.includes('\r\n\r\n')) return
      socket.off('data', onData)
      resolve({ socket, head: text.slice(0, text.indexOf('\r\n\r\n')) })
    }
    socket.on('data', onData)
  })

const parseHead = (head: string): [string | undefined, Map<string, string>] => {
  const [status, ...lines] = head.split('\r\n')
  const headers = new Map(
    lines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
    }),
  )
  return [status, headers]
}

describe('an event stream on a node socket', () => {
  it('answers with the stream head the protocol names', async () => {
    const { socket, head } = await openRaw('ann')
    try {
      const [status, headers] = parseHead(head)
      expect(status).toBe('HTTP/1.1 200 OK')
      expect(headers.get('content-type')).toBe('text/event-stream')
      expect(headers.get('cache-control')).toBe('no-cache')
      expect(headers.get('x-content-type-options')).toBe('nosniff')
    } finally {
      socket.destroy()
    }
  })

  it('carries the headers the in-process stream has, CORS for an allowed origin included', async () => {
    await server.stop()
    server = await startHttpServer({ corsOrigins: ['https://shop.example'] })
    const allowed = await openRaw('ann', 'Origin: https://shop.example\r\n')
    const other = await openRaw('ann', 'Origin: https://elsewhere.example\r\n')
    const inProcess = await server.shop.app.request('/api/events', {
      headers: {
        Authorization: `Bearer ${server.shop.signToken('bob')}`,
        Origin: 'https://shop.example',
      },
    })
    await inProcess.body?.cancel()
    try {
      const [, headers] = parseHead(allowed.head)
      expect(headers.get('access-control-allow-origin')).toBe('https://shop.example')
      expect(headers.get('access-control-allow-credentials')).toBe('true')
      expect(headers.get('vary')).toBe('Origin')
      // The same headers as the web stream's, but for what Node adds on the wire.
      const wire = new Set(['connection', 'date', 'keep-alive', 'transfer-encoding'])
      const onSocket = [...headers].filter(([name]) => !wire.has(name))
      expect(new Map(onSocket)).toEqual(new Map(inProcess.headers))
      expect(parseHead(other.head)[1].has('access-control-allow-origin')).toBe(false)
    } finally {
      allowed.socket.destroy()
      other.socket.destroy()
    }
  })

  it('is removed when its client goes away, and the user may open another in its place', async () => {
    const first = await openRaw('ann')
    const second = await openRaw('ann')
    await waitUntil('two open streams', () => server.shop.streamCount === 2)
    const refused = await server.fetchAs('ann', '/api/events')
    expect(refused.status).toBe(429)
    await refused.body?.cancel()

    first.socket.destroy()
    await waitUntil('the first stream to be removed', () => server.shop.streamCount === 1)
    const third = await openRaw('ann')
    expect(third.head).toMatch(/^HTTP\/1\.1 200 OK/)
    await waitUntil('the new stream', () => server.shop.streamCount === 2)

    second.socket.destroy()
    third.socket.destroy()
    await waitUntil('every stream to be removed', () => server.shop.streamCount === 0)
  })
})
