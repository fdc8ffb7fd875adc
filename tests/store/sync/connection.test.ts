import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Commit, SnapshotEventData } from '../../../src/actions/index.js'
import { createSyncConnection, HIDDEN_GRACE_MS } from '../../../src/store/sync/index.js'
import type { ConnectionInfo, SyncConnection, SyncOptions } from '../../../src/store/sync/types.js'
import { createFakeFetch, type FakeCall, problem } from './fake-fetch.js'

const EPOCH = 'k3v9q2xw'
const BASE = 'http://shop.test'

const snapshotData = (seq: number): SnapshotEventData =>
  ({
    epoch: EPOCH,
    seq,
    serverTime: 1,
    products: [
      { sku: 'tea', title: 'Thé vert 🍵 — 緑茶', priceCents: 450, onHand: 3, held: 0, version: 1 },
    ],
    cart: [],
    orders: [],
    reason: 'initial',
  }) as unknown as SnapshotEventData

const commitData = (seq: number): Commit =>
  ({
    seq,
    at: 1000 + seq,
    actions: [
      { type: 'stock/changed', payload: { sku: 'tea', onHand: 3, held: seq, version: seq } },
    ],
  }) as unknown as Commit

const snapshotFrame = (seq: number, eol = '\n'): string =>
  [
    'event: snapshot',
    `id: ${EPOCH}:${seq}`,
    `data: ${JSON.stringify(snapshotData(seq))}`,
    '',
    '',
  ].join(eol)
const commitFrame = (seq: number, eol = '\n'): string =>
  [`id: ${EPOCH}:${seq}`, `data: ${JSON.stringify(commitData(seq))}`, '', ''].join(eol)

// Fake only the clock and timeouts; setImmediate stays real so `settle` can let streams flow.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
const advance = async (ms: number): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms)
  await settle()
}

const setup = (options: Partial<SyncOptions> = {}) => {
  const net = createFakeFetch()
  const store = { position: null as string | null }
  const snapshots: [SnapshotEventData, string][] = []
  const commits: [Commit, string][] = []
  const statuses: ConnectionInfo[] = []
  const handlers = {
    onSnapshot: vi.fn((data: SnapshotEventData, id: string) => {
      snapshots.push([data, id])
      store.position = id
    }),
    onCommit: vi.fn((commit: Commit, id: string) => {
      commits.push([commit, id])
      store.position = id
    }),
    onStatus: vi.fn((info: ConnectionInfo) => {
      statuses.push(info)
    }),
  }
  const connection = createSyncConnection(handlers, {
    baseUrl: BASE,
    getPosition: () => store.position,
    fetch: net.fetch,
    random: () => 0.5,
    ...options,
  })
  const seqs = () => commits.map(([commit]) => commit.seq)
  return { net, store, snapshots, commits, statuses, handlers, connection, seqs }
}

type Setup = ReturnType<typeof setup>

/** Starts `connection` (`t`'s own by default) and answers its first request with a stream. */
const startLive = async (t: Setup, connection: SyncConnection = t.connection) => {
  connection.start()
  await settle()
  const call = t.net.last()
  const stream = call.openStream()
  await settle()
  return { call, stream }
}

const lastEventId = (call: FakeCall): string | null => call.headers.get('Last-Event-ID')

/** An EventTarget that knows which event types it has listeners for. */
const target = () => {
  const inner = new EventTarget()
  const listening = new Map<string, number>()
  const count = (type: string, by: number): void => {
    const n = (listening.get(type) ?? 0) + by
    if (n > 0) listening.set(type, n)
    else listening.delete(type)
  }
  return {
    listening,
    addEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
      count(type, 1)
      inner.addEventListener(type, listener)
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
      count(type, -1)
      inner.removeEventListener(type, listener)
    },
    dispatchEvent: (event: Event): boolean => inner.dispatchEvent(event),
  }
}

/** A window and document whose online/offline and visibility events the test raises. */
const browser = () => ({
  window: target(),
  document: Object.assign(target(), { visibilityState: 'visible' }),
})

describe('sync connection: reading the stream', () => {
  it('hands a snapshot and then commits to the store, in order, with their positions', async () => {
    const t = setup()
    const { stream } = await startLive(t)
    expect(t.connection.info.status).toBe('live')
    stream.push(`retry: 2000\n\n${snapshotFrame(4)}${commitFrame(5)}`)
    stream.push(commitFrame(7))
    await settle()
    expect(t.snapshots).toEqual([[snapshotData(4), `${EPOCH}:4`]])
    expect(t.commits).toEqual([
      [commitData(5), `${EPOCH}:5`],
      [commitData(7), `${EPOCH}:7`],
    ])
  })

  it('asks for the event stream, with cookies when there is no token', async () => {
    const t = setup()
    t.connection.start()
    await settle()
    const call = t.net.last()
    expect(call.url).toBe(`${BASE}/api/events`)
    expect(call.init.method).toBe('GET')
    expect(call.headers.get('Accept')).toBe('text/event-stream')
    expect(call.headers.get('Authorization')).toBeNull()
    expect(lastEventId(call)).toBeNull()
    expect(call.init.credentials).toBe('include')
  })

  it('sends the current bearer token on every request', async () => {
    let token = 'first'
    const t = setup({ token: () => token })
    t.connection.start()
    await settle()
    expect(t.net.last().headers.get('Authorization')).toBe('Bearer first')
    expect(t.net.last().init.credentials).toBeUndefined()
    token = 'second'
    t.connection.reconnect()
    await settle()
    expect(t.net.calls).toHaveLength(2)
    expect(t.net.last().headers.get('Authorization')).toBe('Bearer second')
  })

  it('feeds the parser byte by byte: split lines, CRLF and UTF-8 characters survive', async () => {
    const t = setup()
    const { stream } = await startLive(t)
    const bytes = new TextEncoder().encode(
      `retry: 1000\r\n\r\n${snapshotFrame(1, '\r\n')}: ping\r\n\r\n${commitFrame(2, '\r\n')}`,
    )
    for (const byte of bytes) stream.push(Uint8Array.of(byte))
    await settle()
    expect(t.snapshots).toEqual([[snapshotData(1), `${EPOCH}:1`]])
    expect(t.commits).toEqual([[commitData(2), `${EPOCH}:2`]])
  })

  it('gives the same events however the bytes are cut into chunks', async () => {
    const text = `retry: 1500\n\n${snapshotFrame(3)}: ping\n\n${commitFrame(4)}${commitFrame(9)}`
    const bytes = new TextEncoder().encode(text)
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const t = setup()
          const { stream } = await startLive(t)
          const points = [0, ...cuts.sort((a, b) => a - b), bytes.length]
          for (let i = 1; i < points.length; i++) {
            stream.push(bytes.slice(points[i - 1], points[i]))
          }
          await settle()
          t.connection.stop()
          expect(t.snapshots).toEqual([[snapshotData(3), `${EPOCH}:3`]])
          expect(t.seqs()).toEqual([4, 9])
        },
      ),
      { numRuns: 40 },
    )
  })

  it('ignores events with names it does not know', async () => {
    const t = setup()
    const { stream } = await startLive(t)
    stream.push(`event: future-thing\ndata: {}\n\n${commitFrame(2)}`)
    await settle()
    expect(t.seqs()).toEqual([2])
    expect(t.connection.info.status).toBe('live')
  })

  it('drops a stream whose event does not match its position, and reconnects', async () => {
    const t = setup()
    const { call, stream } = await startLive(t)
    stream.push(`id: ${EPOCH}:8\ndata: ${JSON.stringify(commitData(9))}\n\n`)
    await settle()
    expect(t.commits).toEqual([])
    expect(call.signal.aborted).toBe(true)
    expect(t.connection.info).toMatchObject({ status: 'backoff', lastError: { code: 'protocol' } })
  })
})

describe('sync connection: resuming', () => {
  it('sends Last-Event-ID from getPosition when it reconnects after the stream ends', async () => {
    const t = setup()
    const { stream } = await startLive(t)
    stream.push(`${snapshotFrame(5)}${commitFrame(6)}`)
    await settle()
    stream.close()
    await settle()
    // A healthy stream ended cleanly, no retry: hint: 0.5 * 1000 ms.
    expect(t.connection.info).toMatchObject({ status: 'backoff', attempt: 0 })
    expect(t.connection.info.retryAt).toBe(Date.now() + 500)
    await advance(500)
    expect(t.net.calls).toHaveLength(2)
    expect(lastEventId(t.net.last())).toBe(`${EPOCH}:6`)
  })

  it("waits the server's retry: after a healthy stream ends", async () => {
    const t = setup()
    const { stream } = await startLive(t)
    stream.push(`retry: 4000\n\n${snapshotFrame(1)}`)
    await settle()
    stream.close()
    await settle()
    expect(t.connection.info.retryAt).toBe(Date.now() + 4000)
    await advance(3999)
    expect(t.net.calls).toHaveLength(1)
    await advance(1)
    expect(t.net.calls).toHaveLength(2)
  })

  it('does not reset its failure count for a server that accepts and drops at once', async () => {
    const t = setup()
    t.connection.start()
    const delays: number[] = []
    for (let i = 0; i < 3; i++) {
      await settle()
      const stream = t.net.last().openStream()
      stream.push('retry: 1000\n\n')
      stream.close()
      await settle()
      const retryAt = t.connection.info.retryAt
      if (retryAt === null) throw new Error('expected a scheduled retry')
      delays.push(retryAt - Date.now())
      await advance(retryAt - Date.now())
    }
    expect(delays).toEqual([500, 1000, 2000])
    expect(t.statuses.filter((s) => s.status === 'live')).toHaveLength(3)
    expect(t.connection.info.attempt).toBe(3)
  })

  it('resets the failure count once a stream delivers an event', async () => {
    const t = setup()
    t.connection.start()
    await settle()
    t.net.last().fail()
    await advance(500)
    t.net.last().fail()
    await advance(1000)
    expect(t.net.calls).toHaveLength(3)
    const stream = t.net.last().openStream()
    await settle()
    expect(t.connection.info).toMatchObject({ status: 'live', attempt: 2 })
    stream.push(snapshotFrame(1))
    await settle()
    expect(t.connection.info).toMatchObject({ status: 'live', attempt: 0, lastError: null })
  })

  it('counts a heartbeat as proof of health, so an idle stream resets the count', async () => {
    const t = setup()
    t.connection.start()
    await settle()
    t.net.last().fail()
    await advance(500)
    const stream = t.net.last().openStream()
    stream.push('retry: 1000\n\n')
    await settle()
    expect(t.connection.info.attempt).toBe(1)
    stream.push(': ping\n\n')
    await settle()
    expect(t.connection.info).toMatchObject({ status: 'live', attempt: 0, lastError: null })
    expect(t.commits).toEqual([])
  })

  it('re-opens from the store position when a handler throws, skipping nothing', async () => {
    const t = setup()
    let thrown = false
    t.handlers.onCommit.mockImplementation((commit: Commit, id: string) => {
      if (commit.seq === 2 && !thrown) {
        thrown = true
        throw new Error('reducer bug')
      }
      t.commits.push([commit, id])
      t.store.position = id
    })
    const { call, stream } = await startLive(t)
    stream.push(`${snapshotFrame(1)}${commitFrame(2)}${commitFrame(3)}`)
    await settle()
    expect(call.signal.aborted).toBe(true)
    expect(t.handlers.onCommit).toHaveBeenCalledTimes(1)
    expect(t.connection.info).toMatchObject({ status: 'backoff', lastError: { code: 'handler' } })
    expect(t.connection.info.lastError?.message).toContain('reducer bug')
    await advance(500)
    expect(lastEventId(t.net.last())).toBe(`${EPOCH}:1`)
    const again = t.net.last().openStream()
    again.push(`${commitFrame(2)}${commitFrame(3)}`)
    await settle()
    expect(t.seqs()).toEqual([2, 3])
  })
})

describe('sync connection: batches', () => {
  /** A second connection on `t`'s fake network and store, with a `batch` handler. */
  const connectWithBatch = (t: Setup, batch: (deliver: () => void) => void) =>
    createSyncConnection(
      { ...t.handlers, batch },
      { baseUrl: BASE, getPosition: () => t.store.position, fetch: t.net.fetch, random: () => 0.5 },
    )

  /**
   * A store that applies a chunk's commits as its batch returns and whose reducer fails when
   * `fails(added)` says so: then none of the chunk's commits stay, its position stays where it was.
   */
  const failingBatch =
    (t: Setup, fails: (added: number) => boolean) =>
    (deliver: () => void): void => {
      const applied = t.commits.length
      const position = t.store.position
      deliver()
      if (!fails(t.commits.length - applied)) return
      t.commits.length = applied
      t.store.position = position
      throw new Error('reducer bug')
    }

  it('delivers the events of one chunk inside one batch call, in order', async () => {
    const t = setup()
    const batches: number[][] = []
    const connection = connectWithBatch(t, (deliver) => {
      const from = t.commits.length
      deliver()
      batches.push(t.seqs().slice(from))
    })
    connection.start()
    await settle()
    const stream = t.net.last().openStream()
    stream.push(`${snapshotFrame(1)}${commitFrame(2)}${commitFrame(3)}`)
    await settle()
    stream.push(`${commitFrame(4)}${commitFrame(5).slice(0, 10)}`)
    await settle()
    stream.push(`${commitFrame(5).slice(10)}${commitFrame(6)}`)
    await settle()
    expect(batches).toEqual([[2, 3], [4], [5, 6]])
    expect(t.snapshots).toHaveLength(1)
    connection.stop()
  })

  it('re-opens from the store position when a batch throws, skipping nothing', async () => {
    const t = setup()
    let thrown = false
    // The reducer fails once, on the first chunk of more than one commit.
    const connection = connectWithBatch(
      t,
      failingBatch(t, (added) => {
        if (thrown || added <= 1) return false
        thrown = true
        return true
      }),
    )
    connection.start()
    await settle()
    const call = t.net.last()
    const stream = call.openStream()
    stream.push(snapshotFrame(1))
    await settle()
    stream.push(`${commitFrame(2)}${commitFrame(3)}`)
    await settle()
    expect(call.signal.aborted).toBe(true)
    expect(connection.info).toMatchObject({ status: 'backoff', lastError: { code: 'handler' } })
    expect(connection.info.lastError?.message).toContain('reducer bug')
    await advance(500)
    expect(lastEventId(t.net.last())).toBe(`${EPOCH}:1`)
    t.net
      .last()
      .openStream()
      .push(`${commitFrame(2)}${commitFrame(3)}`)
    await settle()
    expect(t.seqs()).toEqual([2, 3])
    connection.stop()
  })

  it('counts a chunk as proof of health only once its batch has returned', async () => {
    const t = setup()
    // The reducer cannot apply commit 2.
    const connection = connectWithBatch(
      t,
      failingBatch(t, () => t.seqs().includes(2)),
    )
    connection.start()
    await settle()
    const first = t.net.last().openStream()
    first.push(snapshotFrame(1))
    await settle()
    first.close()
    await advance(500)
    const attempts: number[] = []
    for (let i = 0; i < 3; i++) {
      // Each resumed stream starts with the commit the store cannot apply.
      t.net.last().openStream().push(commitFrame(2))
      await settle()
      expect(connection.info).toMatchObject({ status: 'backoff', lastError: { code: 'handler' } })
      attempts.push(connection.info.attempt)
      await advance((connection.info.retryAt ?? Number.NaN) - Date.now())
      expect(lastEventId(t.net.last())).toBe(`${EPOCH}:1`)
    }
    expect(attempts).toEqual([1, 2, 3])
    connection.stop()
  })
})

describe('sync connection: pacing a costly live stream', () => {
  /** A connection whose store takes `costMs(n)` of the fake clock to apply its n-th batch. */
  const costly = (t: Setup, costMs: (batches: number) => number, pace?: boolean) => {
    const batches: number[][] = []
    const connection = createSyncConnection(
      {
        ...t.handlers,
        batch: (deliver) => {
          const from = t.commits.length
          deliver()
          batches.push(t.seqs().slice(from))
          vi.setSystemTime(Date.now() + costMs(batches.length))
        },
      },
      {
        baseUrl: BASE,
        getPosition: () => t.store.position,
        fetch: t.net.fetch,
        random: () => 0.5,
        ...(pace === undefined ? {} : { pace }),
      },
    )
    return { connection, batches }
  }

  it('leaves the stream unread once applying has spent its credit; what arrives meanwhile comes as one batch', async () => {
    const t = setup()
    // Each batch takes 30 ms: the credit (50 ms, and a third of the time passed) lasts two.
    const { connection, batches } = costly(t, () => 30)
    const { stream } = await startLive(t, connection)
    stream.push(`${snapshotFrame(1)}${commitFrame(2)}`)
    await settle()
    stream.push(commitFrame(3))
    await settle()
    stream.push(commitFrame(4))
    await settle()
    expect(batches).toEqual([[2], [3], [4]])
    // Now 20 ms in debt: 60 ms unread, at a third of the time.
    stream.push(commitFrame(5))
    await settle()
    stream.push(commitFrame(6))
    await settle()
    await advance(59)
    expect(batches).toHaveLength(3)
    await advance(1)
    expect(batches).toEqual([[2], [3], [4], [5, 6]])
    expect(t.store.position).toBe(`${EPOCH}:6`)
    connection.stop()
  })

  it('reads on at once after a cheap batch, and after a backlog however costly', async () => {
    const t = setup()
    // The second batch is a backlog (16 KiB or more) that takes 500 ms to apply.
    const { connection, batches } = costly(t, (n) => (n === 2 ? 500 : 1))
    const { stream } = await startLive(t, connection)
    stream.push(`${snapshotFrame(1)}${commitFrame(2)}`)
    await settle()
    let backlog = ''
    let seq = 3
    while (backlog.length < 16 * 1024) backlog += commitFrame(seq++)
    stream.push(backlog)
    await settle()
    stream.push(commitFrame(seq))
    await settle()
    expect(batches).toHaveLength(3)
    expect(batches[2]).toEqual([seq])
    connection.stop()
  })

  it('reads on at once with pace: false', async () => {
    const t = setup()
    const { connection, batches } = costly(t, () => 100, false)
    const { stream } = await startLive(t, connection)
    stream.push(`${snapshotFrame(1)}${commitFrame(2)}`)
    await settle()
    stream.push(commitFrame(3))
    await settle()
    expect(batches).toEqual([[2], [3]])
    connection.stop()
  })

  it('does not pace, by default, handlers without batch (they pay per event)', async () => {
    const t = setup()
    const connection = createSyncConnection(
      {
        ...t.handlers,
        onCommit: (commit, id) => {
          t.handlers.onCommit(commit, id)
          vi.setSystemTime(Date.now() + 100)
        },
      },
      { baseUrl: BASE, getPosition: () => t.store.position, fetch: t.net.fetch, random: () => 0.5 },
    )
    const { stream } = await startLive(t, connection)
    stream.push(`${snapshotFrame(1)}${commitFrame(2)}`)
    await settle()
    stream.push(commitFrame(3))
    await settle()
    expect(t.seqs()).toEqual([2, 3])
    connection.stop()
  })

  it('pauses at most a quarter of the watchdog’s time, and a paced stream never looks dead', async () => {
    const t = setup()
    const batches: Array<{ start: number; end: number }> = []
    // Heartbeats every 20 ms: the watchdog gives up after 50 ms of silence. A commit every 10 ms,
    // each batch of them taking 40 ms: paced, with pauses of up to 100 ms but for the watchdog.
    const connection = createSyncConnection(
      {
        ...t.handlers,
        batch: (deliver) => {
          const start = Date.now()
          deliver()
          vi.setSystemTime(start + 40)
          batches.push({ start, end: Date.now() })
        },
      },
      {
        baseUrl: BASE,
        getPosition: () => t.store.position,
        fetch: t.net.fetch,
        random: () => 0.5,
        heartbeatMs: 20,
      },
    )
    const { stream } = await startLive(t, connection)
    stream.push(snapshotFrame(1))
    await settle()
    for (let seq = 2; seq < 42; seq++) {
      stream.push(commitFrame(seq))
      await advance(10)
    }
    for (let i = 0; i < 10; i++) {
      stream.push(': heartbeat\n\n')
      await advance(10)
    }
    expect(connection.info).toMatchObject({ status: 'live', lastError: null })
    expect(t.net.calls).toHaveLength(1)
    expect(t.seqs()).toHaveLength(40)
    // Paced (fewer batches than commits), and never unread for more than 12.5 ms (plus the 10 ms
    // until the next commit when nothing was waiting).
    expect(batches.length).toBeLessThan(40)
    const gaps = batches.slice(1).map((batch, i) => batch.start - (batches[i]?.end ?? 0))
    expect(Math.max(...gaps)).toBeLessThanOrEqual(22.5)
    expect(Math.max(...gaps)).toBeGreaterThan(0)
    connection.stop()
  })

  it('ends a pause at once when the connection stops', async () => {
    const t = setup()
    const { connection, batches } = costly(t, () => 100)
    const { stream } = await startLive(t, connection)
    stream.push(`${snapshotFrame(1)}${commitFrame(2)}`)
    await settle()
    stream.push(commitFrame(3))
    connection.stop()
    await settle()
    expect(vi.getTimerCount()).toBe(0)
    await advance(1_000)
    expect(batches).toEqual([[2]])
  })
})

describe('sync connection: failures', () => {
  it.each([
    [401, 'auth/expired', 'Your session has expired.'],
    [403, 'auth/forbidden', 'This account may not read the stream.'],
  ])(
    'stops as unauthorized on %i with the server code and does not retry',
    async (status, code, detail) => {
      const t = setup()
      t.connection.start()
      await settle()
      t.net.last().respond(problem(status, code, detail))
      await settle()
      expect(t.connection.info).toEqual({
        status: 'unauthorized',
        attempt: 0,
        lastError: { code, message: detail, status },
        retryAt: null,
      })
      await advance(10 * 60_000)
      expect(t.net.calls).toHaveLength(1)
      expect(t.statuses.at(-1)?.status).toBe('unauthorized')
    },
  )

  it('tries a refused token function again with backoff, asking it anew, until a token is taken', async () => {
    let token = 'signed-with-the-old-secret'
    const t = setup({ token: () => token })
    t.connection.start()
    await settle()
    t.net.last().respond(problem(401, 'auth/invalid', 'The token is not valid.'))
    await settle()
    // attempt 0: 0.5 * min(30000, 1000 * 2^0)
    expect(t.connection.info).toEqual({
      status: 'unauthorized',
      attempt: 1,
      lastError: { code: 'auth/invalid', message: 'The token is not valid.', status: 401 },
      retryAt: Date.now() + 500,
    })
    await advance(499)
    expect(t.net.calls).toHaveLength(1)
    await advance(1)
    expect(t.net.calls).toHaveLength(2)
    t.net.last().respond(problem(401, 'auth/invalid', 'The token is not valid.'))
    await settle()
    expect(t.connection.info).toMatchObject({ attempt: 2, retryAt: Date.now() + 1000 })
    token = 'signed-with-the-new-secret'
    await advance(1000)
    expect(t.net.last().headers.get('Authorization')).toBe('Bearer signed-with-the-new-secret')
    t.net.last().openStream().push(snapshotFrame(1))
    await settle()
    expect(t.connection.info).toEqual({
      status: 'live',
      attempt: 0,
      lastError: null,
      retryAt: null,
    })
    t.connection.stop()
  })

  it('waits out a refused token function like a backoff: offline stops the timer, online retries', async () => {
    const environment = browser()
    const t = setup({ token: () => 'refused-for-now', environment })
    t.connection.start()
    await settle()
    t.net.last().respond(problem(401, 'auth/invalid', 'The token is not valid.'))
    await settle()
    expect(t.connection.info).toMatchObject({ status: 'unauthorized', retryAt: Date.now() + 500 })
    environment.window.dispatchEvent(new Event('offline'))
    expect(t.connection.info).toMatchObject({ status: 'backoff', retryAt: null })
    await advance(10 * 60_000)
    expect(t.net.calls).toHaveLength(1)
    environment.window.dispatchEvent(new Event('online'))
    await settle()
    expect(t.net.calls).toHaveLength(2)
    t.connection.stop()
  })

  it('does not try a refused token function again with retryRefused: false', async () => {
    const t = setup({ token: () => 'refused', retryRefused: false })
    t.connection.start()
    await settle()
    t.net.last().respond(problem(401, 'auth/invalid', 'The token is not valid.'))
    await settle()
    expect(t.connection.info).toMatchObject({ status: 'unauthorized', attempt: 0, retryAt: null })
    await advance(10 * 60_000)
    expect(t.net.calls).toHaveLength(1)
  })

  it('ends unauthorized when the token expires mid-stream, not reconnecting forever', async () => {
    const t = setup({ token: 'short-lived' })
    const { stream } = await startLive(t)
    stream.push(snapshotFrame(1))
    await settle()
    stream.close()
    await advance(500)
    t.net.last().respond(problem(401, 'auth/expired', 'The token has expired.'))
    await settle()
    expect(t.connection.info.status).toBe('unauthorized')
    expect(t.connection.info.lastError?.code).toBe('auth/expired')
    await advance(10 * 60_000)
    expect(t.net.calls).toHaveLength(2)
  })

  it.each(['start', 'reconnect'] as const)(
    '%s() after unauthorized connects again',
    async (how) => {
      let token = 'old'
      const t = setup({ token: () => token })
      t.connection.start()
      await settle()
      t.net.last().respond(problem(401, 'auth/expired', 'The token has expired.'))
      await settle()
      token = 'new'
      t.connection[how]()
      await settle()
      expect(t.net.calls).toHaveLength(2)
      expect(t.net.last().headers.get('Authorization')).toBe('Bearer new')
      expect(t.connection.info).toMatchObject({ status: 'connecting', attempt: 0, lastError: null })
    },
  )

  it('reconnect() after stop() stays closed', async () => {
    const t = setup()
    await startLive(t)
    t.connection.stop()
    t.connection.reconnect()
    await advance(60_000)
    expect(t.net.calls).toHaveLength(1)
    expect(t.connection.info.status).toBe('closed')
  })

  it('backs off on a 500 and on a network error, longer each time, then reconnects', async () => {
    const t = setup()
    t.connection.start()
    await settle()
    t.net.last().respond(new Response('<h1>oops</h1>', { status: 500, statusText: 'Oops' }))
    await settle()
    expect(t.connection.info).toMatchObject({
      status: 'backoff',
      attempt: 1,
      lastError: { code: 'http', status: 500, message: 'The server answered 500 Oops.' },
    })
    await advance(499)
    expect(t.net.calls).toHaveLength(1)
    await advance(1)
    expect(t.net.calls).toHaveLength(2)
    t.net.last().fail(new TypeError('fetch failed'))
    await settle()
    expect(t.connection.info).toMatchObject({ status: 'backoff', attempt: 2 })
    expect(t.connection.info.lastError?.code).toBe('network')
    await advance(999)
    expect(t.net.calls).toHaveLength(2)
    await advance(1)
    expect(t.net.calls).toHaveLength(3)
    t.net.last().openStream()
    await settle()
    expect(t.connection.info.status).toBe('live')
  })

  it('waits at least Retry-After on a 429', async () => {
    const t = setup()
    t.connection.start()
    await settle()
    t.net.last().respond(problem(429, 'limit/streams', 'Too many streams.', { 'Retry-After': '7' }))
    await settle()
    expect(t.connection.info.lastError).toEqual({
      code: 'limit/streams',
      message: 'Too many streams.',
      status: 429,
    })
    await advance(6999)
    expect(t.net.calls).toHaveLength(1)
    await advance(1)
    expect(t.net.calls).toHaveLength(2)
  })

  it('backs off when the answer is not an event stream', async () => {
    const t = setup()
    t.connection.start()
    await settle()
    const stream = t.net.last().openStream('text/html')
    await settle()
    expect(stream.cancelled).toBe(true)
    expect(t.connection.info).toMatchObject({
      status: 'backoff',
      lastError: { code: 'content-type' },
    })
  })

  it('backs off when the stream breaks mid-frame, dropping the half event', async () => {
    const t = setup()
    const { stream } = await startLive(t)
    stream.push(commitFrame(2).slice(0, 20))
    stream.error(new TypeError('terminated'))
    await settle()
    expect(t.commits).toEqual([])
    expect(t.connection.info).toMatchObject({ status: 'backoff', lastError: { code: 'network' } })
  })
})

describe('sync connection: watchdog', () => {
  it('reconnects after 2.5 heartbeats without a byte', async () => {
    const t = setup({ heartbeatMs: 1000 })
    const { call, stream } = await startLive(t)
    stream.push(snapshotFrame(1))
    await settle()
    await advance(2499)
    expect(t.connection.info.status).toBe('live')
    expect(call.signal.aborted).toBe(false)
    await advance(1)
    expect(call.signal.aborted).toBe(true)
    expect(t.connection.info).toMatchObject({ status: 'backoff', lastError: { code: 'watchdog' } })
    await advance(500)
    expect(t.net.calls).toHaveLength(2)
    expect(lastEventId(t.net.last())).toBe(`${EPOCH}:1`)
  })

  it('keeps the stream while heartbeats arrive', async () => {
    const t = setup({ heartbeatMs: 1000 })
    const { call, stream } = await startLive(t)
    for (let i = 0; i < 30; i++) {
      await advance(1000)
      stream.push(': ping\n\n')
      await settle()
    }
    expect(call.signal.aborted).toBe(false)
    expect(t.net.calls).toHaveLength(1)
    expect(t.connection.info.status).toBe('live')
  })

  it('counts the answer itself as a sign of life', async () => {
    const t = setup({ heartbeatMs: 1000 })
    t.connection.start()
    await settle()
    await advance(2000)
    const call = t.net.last()
    call.openStream()
    await advance(2499)
    expect(call.signal.aborted).toBe(false)
    await advance(1)
    expect(call.signal.aborted).toBe(true)
  })

  it('also gives up on a request whose answer never comes', async () => {
    const t = setup({ heartbeatMs: 1000 })
    t.connection.start()
    await settle()
    await advance(2500)
    expect(t.net.calls[0]?.signal.aborted).toBe(true)
    expect(t.connection.info.lastError?.code).toBe('watchdog')
  })
})

describe('sync connection: control', () => {
  it('stop() aborts the request, closes, and schedules nothing', async () => {
    const t = setup()
    const { call, stream } = await startLive(t)
    t.connection.stop()
    expect(call.signal.aborted).toBe(true)
    expect(t.connection.info.status).toBe('closed')
    stream.push(commitFrame(2))
    await advance(10 * 60_000)
    expect(t.commits).toEqual([])
    expect(t.net.calls).toHaveLength(1)
  })

  it('stop() during backoff cancels the retry', async () => {
    const t = setup()
    t.connection.start()
    await settle()
    t.net.last().fail()
    await settle()
    expect(t.connection.info.status).toBe('backoff')
    t.connection.stop()
    await advance(10 * 60_000)
    expect(t.net.calls).toHaveLength(1)
    expect(t.connection.info).toMatchObject({ status: 'closed', retryAt: null })
  })

  it('reconnect() drops the stream and connects again at once from the position', async () => {
    const t = setup()
    const { call, stream } = await startLive(t)
    stream.push(snapshotFrame(3))
    await settle()
    t.connection.reconnect()
    await settle()
    expect(call.signal.aborted).toBe(true)
    expect(t.net.calls).toHaveLength(2)
    expect(lastEventId(t.net.last())).toBe(`${EPOCH}:3`)
  })

  it('reports every change with the full info, in order', async () => {
    const t = setup()
    const { stream } = await startLive(t)
    stream.push(snapshotFrame(1))
    await settle()
    stream.close()
    await advance(500)
    expect(t.statuses.map((s) => [s.status, s.attempt])).toEqual([
      ['connecting', 0],
      ['live', 0],
      ['backoff', 0],
      ['connecting', 0],
    ])
    expect(t.statuses[2]).toEqual({
      status: 'backoff',
      attempt: 0,
      lastError: { code: 'stream-ended', message: 'The server ended the stream.' },
      retryAt: Date.now(),
    })
    expect(t.connection.info).toBe(t.statuses.at(-1))
  })

  it('lets a status handler stop the connection from inside the callback', async () => {
    const t = setup()
    t.handlers.onStatus.mockImplementation((info: ConnectionInfo) => {
      t.statuses.push(info)
      if (info.status === 'live') t.connection.stop()
    })
    const { call } = await startLive(t)
    expect(t.statuses.map((s) => s.status)).toEqual(['connecting', 'live', 'closed'])
    expect(call.signal.aborted).toBe(true)
  })

  it('refuses bad settings when it is built', () => {
    const handlers = { onSnapshot() {}, onCommit() {}, onStatus() {} }
    const base = { baseUrl: 'http://127.0.0.1:8787', getPosition: () => null }
    expect(() => createSyncConnection(handlers, { ...base, heartbeatMs: -1 })).toThrow(
      /heartbeatMs/,
    )
    // A base URL no request could reach fails here, not in a retry loop (a service's env var).
    for (const baseUrl of ['127.0.0.1:8787', 'localhost:8787', '']) {
      expect(() => createSyncConnection(handlers, { ...base, baseUrl }), baseUrl).toThrow(
        /createSyncConnection\(\.\.\.\): baseUrl must be an http\(s\) URL/,
      )
    }
    expect(() => createSyncConnection(handlers, { ...base, baseUrl: 42 as never })).toThrow(
      /baseUrl must be a string/,
    )
  })
})

describe('sync connection: browser events', () => {
  it('offline aborts and waits; online reconnects at once', async () => {
    const environment = browser()
    const t = setup({ environment })
    const { call } = await startLive(t)
    environment.window.dispatchEvent(new Event('offline'))
    expect(call.signal.aborted).toBe(true)
    expect(t.connection.info).toMatchObject({
      status: 'backoff',
      retryAt: null,
      lastError: { code: 'offline' },
    })
    await advance(10 * 60_000)
    expect(t.net.calls).toHaveLength(1)
    environment.window.dispatchEvent(new Event('online'))
    await settle()
    expect(t.net.calls).toHaveLength(2)
    expect(t.connection.info.status).toBe('connecting')
  })

  it('retries at once when the page becomes visible during backoff', async () => {
    const environment = browser()
    const t = setup({ environment, backoff: { baseMs: 60_000 } })
    t.connection.start()
    await settle()
    t.net.last().fail()
    await settle()
    expect(t.connection.info.retryAt).toBe(Date.now() + 30_000)
    environment.document.visibilityState = 'hidden'
    environment.document.dispatchEvent(new Event('visibilitychange'))
    await settle()
    expect(t.net.calls).toHaveLength(1)
    environment.document.visibilityState = 'visible'
    environment.document.dispatchEvent(new Event('visibilitychange'))
    await settle()
    expect(t.net.calls).toHaveLength(2)
  })

  const setVisibility = (
    environment: ReturnType<typeof browser>,
    visibilityState: 'visible' | 'hidden',
  ): void => {
    environment.document.visibilityState = visibilityState
    environment.document.dispatchEvent(new Event('visibilitychange'))
  }

  it('holds no stream while the page is hidden, and resumes from its position when shown', async () => {
    const environment = browser()
    const t = setup({ environment })
    const { call, stream } = await startLive(t)
    stream.push(snapshotFrame(1) + commitFrame(2))
    await settle()
    setVisibility(environment, 'hidden')
    await advance(HIDDEN_GRACE_MS - 1)
    expect(call.signal.aborted).toBe(false)
    await advance(1)
    expect(call.signal.aborted).toBe(true)
    expect(t.connection.info).toMatchObject({ status: 'paused', retryAt: null })
    // No timer, no watchdog, no retry: nothing at all until the page is seen.
    await advance(10 * 60_000)
    expect(t.net.calls).toHaveLength(1)
    expect(t.connection.info.status).toBe('paused')
    setVisibility(environment, 'visible')
    await settle()
    expect(t.net.calls).toHaveLength(2)
    expect(lastEventId(t.net.last())).toBe(`${EPOCH}:2`)
    t.net.last().openStream().push(commitFrame(3))
    await settle()
    expect(t.seqs()).toEqual([2, 3])
    expect(t.connection.info.status).toBe('live')
    t.connection.stop()
  })

  it('keeps the stream through a glance at another tab, shorter than the grace', async () => {
    const environment = browser()
    const t = setup({ environment })
    const { call, stream } = await startLive(t)
    for (let i = 0; i < 3; i += 1) {
      setVisibility(environment, 'hidden')
      await advance(HIDDEN_GRACE_MS - 100)
      setVisibility(environment, 'visible')
      await advance(50)
    }
    stream.push(snapshotFrame(1))
    await advance(HIDDEN_GRACE_MS)
    expect(call.signal.aborted).toBe(false)
    expect(t.net.calls).toHaveLength(1)
    expect(t.connection.info.status).toBe('live')
    t.connection.stop()
  })

  it('makes no request when started in a hidden page, until the page is shown', async () => {
    const environment = browser()
    environment.document.visibilityState = 'hidden'
    const t = setup({ environment })
    t.connection.start()
    await advance(60_000)
    expect(t.net.calls).toHaveLength(0)
    expect(t.connection.info.status).toBe('paused')
    setVisibility(environment, 'visible')
    await settle()
    expect(t.net.calls).toHaveLength(1)
    expect(lastEventId(t.net.last())).toBeNull()
    t.connection.stop()
  })

  it('keeps the stream of a hidden page with pauseWhenHidden: false', async () => {
    const environment = browser()
    environment.document.visibilityState = 'hidden'
    const t = setup({ environment, pauseWhenHidden: false })
    const { call, stream } = await startLive(t)
    setVisibility(environment, 'hidden')
    stream.push(snapshotFrame(1) + commitFrame(2))
    await settle()
    expect(call.signal.aborted).toBe(false)
    expect(t.seqs()).toEqual([2])
    expect(t.connection.info.status).toBe('live')
    t.connection.stop()
  })

  it('hidden while offline: shown again, it waits for the network, then connects', async () => {
    const environment = browser()
    const t = setup({ environment })
    await startLive(t)
    setVisibility(environment, 'hidden')
    await advance(HIDDEN_GRACE_MS)
    environment.window.dispatchEvent(new Event('offline'))
    setVisibility(environment, 'visible')
    await settle()
    expect(t.net.calls).toHaveLength(1)
    expect(t.connection.info).toMatchObject({ status: 'backoff', lastError: { code: 'offline' } })
    environment.window.dispatchEvent(new Event('online'))
    await settle()
    expect(t.net.calls).toHaveLength(2)
    t.connection.stop()
  })

  it("waits out a 429's Retry-After even when the page is hidden and shown again meanwhile", async () => {
    const environment = browser()
    const t = setup({ environment })
    t.connection.start()
    await settle()
    t.net.last().respond(problem(429, 'limit/rate', 'Too many.', { 'Retry-After': '7' }))
    await settle()
    setVisibility(environment, 'hidden')
    await advance(HIDDEN_GRACE_MS)
    expect(t.connection.info.status).toBe('paused')
    setVisibility(environment, 'visible') // 2 s after the 429: 5 s still to wait
    await settle()
    expect(t.connection.info).toMatchObject({ status: 'backoff', retryAt: Date.now() + 5000 })
    environment.window.dispatchEvent(new Event('offline'))
    environment.window.dispatchEvent(new Event('online'))
    await advance(4999)
    expect(t.net.calls).toHaveLength(1)
    await advance(1)
    expect(t.net.calls).toHaveLength(2)
    t.connection.stop()
  })

  it('reconnect() cuts a Retry-After short for good: a later offline and online do not bring it back', async () => {
    const environment = browser()
    const t = setup({ environment })
    t.connection.start()
    await settle()
    t.net.last().respond(problem(429, 'limit/rate', 'Too many.', { 'Retry-After': '60' }))
    await settle()
    t.connection.reconnect()
    await settle()
    expect(t.net.calls).toHaveLength(2)
    environment.window.dispatchEvent(new Event('offline'))
    environment.window.dispatchEvent(new Event('online'))
    await settle()
    expect(t.net.calls).toHaveLength(3)
    t.connection.stop()
  })

  it('listens only while running', async () => {
    const environment = browser()
    const t = setup({ environment })
    expect(environment.window.listening.size).toBe(0)
    await startLive(t)
    expect([...environment.window.listening.keys()].sort()).toEqual(['offline', 'online'])
    expect([...environment.document.listening.keys()]).toEqual(['visibilitychange'])
    t.connection.stop()
    expect(environment.window.listening.size + environment.document.listening.size).toBe(0)
    environment.window.dispatchEvent(new Event('online'))
    environment.window.dispatchEvent(new Event('offline'))
    await settle()
    expect(t.net.calls).toHaveLength(1)
    expect(t.connection.info.status).toBe('closed')
  })
})
