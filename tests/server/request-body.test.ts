// Request bodies over a real socket (read from Node's IncomingMessage) and in-process (a web
// Request): the same text either way, the size limit judged early, a client that stops half-way.
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/actions/index.js'
import { createShelfsync } from '../../src/server/index.js'
import { type HttpTestServer, startHttpServer } from '../support/http-server.js'

let server: HttpTestServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

/** Sends raw bytes on a fresh socket and resolves with the status line, the head and the body. */
const rawExchange = (
  port: number,
  pieces: readonly (string | Buffer)[],
): Promise<{ status: string; head: string; body: string }> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8')
    })
    socket.once('error', reject)
    socket.once('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n')
      resolve({ status: head.split('\r\n')[0] ?? '', head, body })
    })
    socket.once('connect', async () => {
      for (const piece of pieces) {
        socket.write(piece)
        await new Promise((r) => setTimeout(r, 20))
      }
    })
  })

const productsOf = async (s: HttpTestServer): Promise<Snapshot['products']> =>
  ((await (await s.fetchAs('admin', '/api/snapshot')).json()) as Snapshot).products

describe('a request body', () => {
  it('reads UTF-8 split across network chunks, and drops a byte order mark, as Request.text() does', async () => {
    server = await startHttpServer()
    const token = server.shop.signToken('admin')
    const json = Buffer.from('\uFEFF{"sku":"cafe","title":"Café ☕","priceCents":1,"onHand":1}')
    const cut = json.indexOf(Buffer.from('é')) + 1 // inside the two bytes of "é"
    const head =
      `POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${json.length}\r\n\r\n`
    const answer = await rawExchange(server.port, [head, json.subarray(0, cut), json.subarray(cut)])
    expect(answer.status).toBe('HTTP/1.1 201 Created')
    expect((await productsOf(server)).map((p) => p.title)).toEqual(['Café ☕'])

    // In-process, through a web Request: the same.
    const inProcess = await server.shop.app.request('/api/products', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '\uFEFF{"sku":"tea","title":"Thé","priceCents":1,"onHand":1}',
    })
    expect(inProcess.status).toBe(201)
  })

  it('is refused with 413 as soon as Content-Length passes the limit, without waiting for it', async () => {
    server = await startHttpServer({ limits: { maxBodyBytes: 1024 } })
    const head =
      `POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Authorization: Bearer ${server.shop.signToken('admin')}\r\n` +
      `Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`
    // Only the head is ever sent: an answer proves the server did not wait for the million bytes.
    const answer = await rawExchange(server.port, [head])
    expect(answer.status).toBe('HTTP/1.1 413 Payload Too Large')
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'request/too-large', limit: 1024 })
    expect(await productsOf(server)).toEqual([])
  })

  it('is not waited for from an anonymous client: 401 at once, however slowly it comes', async () => {
    server = await startHttpServer()
    const head =
      `POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sku":`
    // The other 93 bytes never come: an answer proves the server did not wait for them.
    const answer = await rawExchange(server.port, [head])
    expect(answer.status).toBe('HTTP/1.1 401 Unauthorized')
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'auth/required' })
  })

  it('is refused with 408 when it has not all come within the deadline, and changes nothing', async () => {
    server = await startHttpServer({ limits: { bodyTimeoutMs: 300 } })
    const json = '{"sku":"slow","title":"Slow","priceCents":1,"onHand":1}'
    const head =
      `POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `Authorization: Bearer ${server.shop.signToken('admin')}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n`
    // The rest of the body never comes, and the socket is left open: the answer (and the close
    // that follows it) proves the server gave up on its own.
    const answer = await rawExchange(server.port, [head, json.slice(0, 10)])
    expect(answer.status).toBe('HTTP/1.1 408 Request Timeout')
    // The server closes the connection after it, and says so rather than promise keep-alive.
    expect(answer.head).toMatch(/^connection: close$/im)
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'request/timeout', timeoutMs: 300 })
    expect(await productsOf(server)).toEqual([])

    // In-process, a web body that stalls (never closed) is refused the same way.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(json.slice(0, 10)))
      },
    })
    const inProcess = await server.shop.app.request('/api/products', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${server.shop.signToken('admin')}`,
        'Content-Type': 'application/json',
      },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(inProcess.status).toBe(408)
    expect(await inProcess.json()).toMatchObject({ code: 'request/timeout' })
    expect(await productsOf(server)).toEqual([])
  })

  it('is read in full when it comes slowly but within the deadline', async () => {
    server = await startHttpServer({ limits: { bodyTimeoutMs: 3_000 } })
    const json = '{"sku":"steady","title":"Steady","priceCents":1,"onHand":1}'
    const head =
      `POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Authorization: Bearer ${server.shop.signToken('admin')}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n`
    // 16 pieces 20 ms apart: the body takes several hundred ms, all of it inside the deadline, so
    // a deadline shorter than asked (a wrong unit, say) would show here as a 408.
    const pieces = [head, ...(json.match(/.{1,4}/g) ?? [])]
    const answer = await rawExchange(server.port, pieces)
    expect(answer.status).toBe('HTTP/1.1 201 Created')
    expect((await productsOf(server)).map((p) => p.sku)).toEqual(['steady'])
  })

  it('is not waited for on the session route when demo mode is off: 404 at once', async () => {
    server = await startHttpServer({ demo: false })
    const head =
      `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user":`
    const answer = await rawExchange(server.port, [head])
    expect(answer.status).toBe('HTTP/1.1 404 Not Found')
  })

  it('takes a deadline from 1 ms to the longest timer, and the default for an undefined one', async () => {
    for (const bodyTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => createShelfsync({ db: ':memory:', limits: { bodyTimeoutMs } })).toThrow(
        /limits.bodyTimeoutMs must be a number of ms/,
      )
    }
    expect(() => createShelfsync({ db: ':memory:', limits: { maxBodyBytes: 0 } })).toThrow(
      /limits.maxBodyBytes must be a whole number/,
    )
    const shop = createShelfsync({ db: ':memory:', limits: { bodyTimeoutMs: undefined } })
    await shop.close()
  })

  it('changes nothing when the client goes away half-way, notices at once, and carries on', async () => {
    // A body deadline far away: only noticing the closed socket can end the cut request soon.
    server = await startHttpServer({ limits: { bodyTimeoutMs: 120_000 } })
    const json = '{"sku":"half","title":"Half","priceCents":1,"onHand":1}'
    const socket = connect(server.port, '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    socket.write(
      `POST /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${server.shop.signToken('admin')}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json.slice(0, 20)}`,
    )
    await new Promise((r) => setTimeout(r, 50)) // the server is reading the body by now
    socket.destroy()
    const next = await server.fetchAs('admin', '/api/products', {
      method: 'POST',
      body: JSON.stringify({ sku: 'whole', title: 'Whole', priceCents: 1, onHand: 1 }),
    })
    expect(next.status).toBe(201)
    expect((await productsOf(server)).map((p) => p.sku)).toEqual(['whole'])
    // close() waits for requests in flight: a cut request still waiting for its body would hold
    // it for the whole grace period.
    const closing = server.shop.close({ graceMs: 60_000 }).then(() => 'closed')
    const waited = new Promise((r) =>
      setTimeout(() => r('still waiting for the cut request'), 5_000),
    )
    expect(await Promise.race([closing, waited])).toBe('closed')
  })
})
