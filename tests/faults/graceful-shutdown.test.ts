// Graceful shutdown: `shop.close()` while streams are open and commands are in flight. The
// commands finish and are kept, the streams get them and then a `retry:` hint before they end,
// new requests are turned away with 503, and the database file is closed cleanly.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Product, Snapshot } from '../../src/actions/index.js'
import { createShelfsync, type Shelfsync } from '../../src/server/index.js'
import { commitOf, openedStream } from '../support/events.js'
import { startHttpServer } from '../support/http-server.js'
import { NO_RATE_LIMITS } from '../support/no-rate-limits.js'
import { apiAs, createProduct, TEST_SECRET } from '../support/server.js'
import { readSse } from '../support/sse.js'

let dir: string
let file: string
const opened: Shelfsync[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shelfsync-shutdown-'))
  file = join(dir, 'shop.db')
})
afterEach(async () => {
  for (const shop of opened.splice(0)) await shop.close()
  rmSync(dir, { recursive: true, force: true })
})

const open = () => {
  const shop = createShelfsync({
    db: file,
    demo: false,
    secret: TEST_SECRET,
    admins: ['admin'],
    limits: NO_RATE_LIMITS,
  })
  opened.push(shop)
  return { shop, as: (user: string) => apiAs(shop.app, shop.signToken(user)) }
}

/** A request body the test hands over piece by piece; `reading` settles once the server pulls. */
const slowBody = () => {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let pulled!: () => void
  const reading = new Promise<void>((resolve) => {
    pulled = resolve
  })
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c
    },
    pull: () => pulled(),
  })
  return {
    stream,
    reading,
    finish(json: unknown) {
      controller.enqueue(new TextEncoder().encode(JSON.stringify(json)))
      controller.close()
    },
  }
}

/** A command whose body is still on its way: the server has started reading it. */
const inFlight = async (
  shop: Shelfsync,
  user: string,
  method: string,
  path: string,
): Promise<{ answer: Promise<Response>; finish(json: unknown): void }> => {
  const body = slowBody()
  const answer = Promise.resolve(
    shop.app.request(path, {
      method,
      body: body.stream,
      duplex: 'half',
      headers: {
        Authorization: `Bearer ${shop.signToken(user)}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': `${user}-${method}-${path}`,
      },
    } as RequestInit),
  )
  await body.reading
  return { answer, finish: body.finish }
}

const expectUnavailable = async (res: { status: number; body: unknown; headers: Headers }) => {
  expect(res.status).toBe(503)
  expect(res.body).toMatchObject({ code: 'server/unavailable', status: 503 })
  expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
}

describe('shop.close()', () => {
  it('finishes in-flight commands, streams them, ends each stream with a retry hint and closes the file', async () => {
    const { shop, as } = open()
    const admin = as('admin')
    expect((await createProduct(admin, 'tee', 5)).status).toBe(201)
    const ann = await openedStream(await as('ann').events())
    const bob = await openedStream(await as('bob').events())
    expect(shop.streamCount).toBe(2)

    const hold = await inFlight(shop, 'ann', 'PUT', '/api/cart/lines/tee')
    const restock = await inFlight(shop, 'admin', 'POST', '/api/products/tee/restock')
    const closed = shop.close()

    // While it waits for them, nothing new is let in: commands, reads and streams alike.
    await expectUnavailable(await as('bob').put('/api/cart/lines/tee', { qty: 1 }))
    await expectUnavailable(await as('bob').get('/api/snapshot'))
    const refusedStream = await as('cy').events()
    expect(refusedStream.status).toBe(503)
    await refusedStream.body?.cancel()

    hold.finish({ qty: 2 })
    restock.finish({ qty: 3 })
    const held = await hold.answer
    const restocked = await restock.answer
    expect(held.status).toBe(200)
    expect(restocked.status).toBe(200)
    const heldSeq = ((await held.json()) as { seq: number }).seq
    const restockSeq = ((await restocked.json()) as { seq: number }).seq
    await closed

    // Each stream got the commits made while closing, then a retry hint, then its end.
    const annFrames = await ann.reader.ended()
    const bobFrames = await bob.reader.ended()
    const commitsOf = (frames: typeof annFrames) =>
      frames.filter((f) => f.data !== undefined).map((f) => commitOf(f).seq)
    expect(commitsOf(annFrames)).toEqual([heldSeq, restockSeq])
    expect(commitsOf(bobFrames)).toEqual([heldSeq, restockSeq]) // the stock change is public
    for (const frames of [annFrames, bobFrames]) {
      const last = frames.at(-1)
      expect(last?.raw).toMatch(/^retry: \d+$/)
      expect(last?.retry).toBeGreaterThanOrEqual(1000)
      expect(last?.retry).toBeLessThan(5000)
    }
    expect(shop.streamCount).toBe(0)

    // After close: still 503, never a 500 from a closed database.
    await expectUnavailable(await as('bob').put('/api/cart/lines/tee', { qty: 1 }))
    await expectUnavailable(await admin.get('/api/health'))

    // A clean close checkpoints the WAL away; the file is whole and holds both commands.
    expect(existsSync(`${file}-wal`)).toBe(false)
    const check = new Database(file, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    check.close()
    opened.splice(opened.indexOf(shop), 1)
    const again = open()
    const snapshot = (await again.as('ann').get<Snapshot>('/api/snapshot')).body
    expect(snapshot.seq).toBe(restockSeq)
    expect(snapshot.cart).toMatchObject([{ sku: 'tee', qty: 2 }])
    expect(snapshot.products).toMatchObject([{ sku: 'tee', onHand: 8, held: 2 }])
  })

  it('gives up on a body that never finishes after the grace period, and refuses it with 503', async () => {
    const { shop, as } = open()
    expect((await createProduct(as('admin'), 'tee', 5)).status).toBe(201)
    const stuck = await inFlight(shop, 'ann', 'PUT', '/api/cart/lines/tee')
    const started = Date.now()
    await shop.close({ graceMs: 200 })
    const waited = Date.now() - started
    expect(waited).toBeGreaterThanOrEqual(190)
    stuck.finish({ qty: 1 })
    const res = await stuck.answer
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ code: 'server/unavailable' })

    opened.splice(opened.indexOf(shop), 1)
    const again = open()
    expect((await again.as('ann').get<Snapshot>('/api/snapshot')).body.cart).toEqual([])
  })

  it('commits a command queued for the next group when the grace period ends, before the file closes', async () => {
    const { shop, as } = open()
    const admin = as('admin')
    await createProduct(admin, 'tee', 3)
    // The group's turn (setImmediate) is held back: the command waits in the queue when the
    // grace period runs out, as one can on a busy server.
    vi.useFakeTimers({ toFake: ['setImmediate'] })
    try {
      const hold = as('ann').put('/api/cart/lines/tee', { qty: 1 })
      // Queued for the group. (Not vi.waitFor: it advances fake timers, which would run it.)
      for (let i = 0; i < 200 && vi.getTimerCount() === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      expect(vi.getTimerCount()).toBe(1)
      await shop.close({ graceMs: 0 })
      vi.runAllTimers() // the group's own turn comes too late, and finds nothing left to do
      const answer = await hold
      expect(answer.status).toBe(200)
    } finally {
      vi.useRealTimers()
    }
    const db = new Database(file, { readonly: true })
    try {
      const held = db.prepare("SELECT qty FROM cart_lines WHERE user = 'ann' AND sku = 'tee'").get()
      expect(held).toEqual({ qty: 1 })
    } finally {
      db.close()
    }
  })

  it('over a real socket: an in-flight command answers, then the stream ends with a retry hint', async () => {
    const server = await startHttpServer({ db: file })
    try {
      const admin = apiAs(server.shop.app, server.shop.signToken('admin'))
      expect((await createProduct(admin, 'tee', 5)).status).toBe(201)
      const stream = readSse(await server.fetchAs('ann', '/api/events'))
      expect((await stream.next()).raw).toMatch(/^retry: \d+$/)
      expect((await stream.nextEvent()).event).toBe('snapshot')

      // `Expect: 100-continue`: the server answers 100 once it has taken the request on.
      const command = await rawRequestWaitingForBody(
        server.port,
        'POST /api/products/tee/restock',
        server.shop.signToken('admin'),
        JSON.stringify({ qty: 4 }).length,
      )
      const closed = server.shop.close()
      const answer = await command.send(JSON.stringify({ qty: 4 }))
      expect(answer.status).toBe(200)
      const { seq, product } = JSON.parse(answer.body) as { seq: number; product: Product }
      expect(product.onHand).toBe(9)
      await closed

      const frames = await stream.ended()
      expect(frames.filter((f) => f.data !== undefined).map((f) => commitOf(f).seq)).toEqual([seq])
      expect(frames.at(-1)?.raw).toMatch(/^retry: \d+$/)
    } finally {
      await server.stop()
    }
  })
})

/** Sends a request's head with `Expect: 100-continue` and resolves once the server says 100. */
const rawRequestWaitingForBody = async (
  port: number,
  requestLine: string,
  token: string,
  length: number,
) => {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    received += chunk
  })
  const until = (test: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (test()) {
          socket.off('data', check)
          socket.off('close', check)
          resolve()
        } else if (socket.destroyed) reject(new Error(`the connection closed:\n${received}`))
      }
      socket.on('data', check)
      socket.on('close', check)
      check()
    })
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write(
    `${requestLine} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`,
  )
  await until(() => /^HTTP\/1\.1 100 /.test(received))
  return {
    async send(body: string): Promise<{ status: number; body: string }> {
      if (Buffer.byteLength(body) !== length)
        throw new Error(`the body must be ${length} bytes: ${body}`)
      received = ''
      socket.write(body)
      const complete = () => {
        const head = received.indexOf('\r\n\r\n')
        const size = /\r\ncontent-length: (\d+)/i.exec(received)
        return head >= 0 && size !== null && received.length >= head + 4 + Number(size[1])
      }
      await until(complete)
      socket.destroy()
      const head = received.indexOf('\r\n\r\n')
      return { status: Number(received.slice(9, 12)), body: received.slice(head + 4) }
    },
  }
}
