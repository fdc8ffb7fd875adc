// A TCP proxy on 127.0.0.1 in front of a server, for breaking connections on purpose: cut them
// (at once, or after N more bytes of a response, i.e. mid-frame), stall them (stop forwarding
// without closing), delay them, and resume. Tests point clients at `url` instead of the server.
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net'

export interface ProxyConnection {
  readonly id: number
  /** The request line of the last request seen going up, e.g. `GET /api/events HTTP/1.1`. */
  readonly lastRequest: string
  /** Bytes forwarded to the client so far. */
  readonly bytesDown: number
}

export type ConnectionFilter = (connection: ProxyConnection) => boolean

export interface CutOptions {
  /** Let this many more response bytes through on each connection, then cut it (mid-frame). */
  afterBytes?: number
  /** Only the connections this accepts (default: all). */
  where?: ConnectionFilter
}

export interface ResponseCut {
  request: RegExp
  afterBytes: number
  of?: 'response' | 'body'
  times?: number
}

export interface TcpProxy {
  readonly port: number
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Open client connections. */
  readonly connections: readonly ProxyConnection[]
  /** Faults so far: connections cut (armed cuts once they struck), stalls and delays begun. */
  readonly faults: Readonly<Record<'cut' | 'stall' | 'delay', number>>
  /**
   * Cuts the open connections (both sides destroyed). With `afterBytes`, each chosen connection
   * first forwards that many more bytes towards the client, so the cut lands inside whatever the
   * server is sending. Returns how many connections were cut or armed.
   */
  cut(options?: CutOptions): number
  /**
   * Arms a cut for the next `times` (default 1) requests whose request line matches `request`,
   * on whatever connection they come: their response is cut after `afterBytes` bytes, counted
   * from its first byte, or with `of: 'body'` from the first byte after its head.
   */
  cutResponses(options: ResponseCut): void
  /**
   * Stops forwarding in both directions without closing anything; the peers see silence and
   * TCP back-pressure. `'open'` stalls the connections open now (new ones flow: a half-dead
   * NAT entry); `'all'` stalls new connections too (the network is gone).
   */
  stall(scope?: 'open' | 'all'): void
  /** Holds every chunk this long before forwarding it (order kept); 0 turns it off. */
  delay(ms: number): void
  /** Ends stalls and delays; buffered bytes flow on. */
  resume(): void
  /**
   * Forgets every cut armed and not yet struck: `cutResponses` rules with times left, and the
   * byte budgets `cut({ afterBytes })` left on open connections (a quiet stream spends one only
   * on heartbeats, so it can strike long after the step that armed it).
   */
  disarm(): void
  /** Cuts every connection and stops listening. */
  close(): Promise<void>
}

interface Chunk {
  data: Buffer
  readyAt: number
}

interface Lane {
  from: Socket
  to: Socket
  queue: Chunk[]
  pumping: boolean
  /** Server to client: the only direction a byte budget applies to. */
  down: boolean
}

interface Connection extends ProxyConnection {
  id: number
  lastRequest: string
  bytesDown: number
  client: Socket
  upstream: Socket
  lanes: [Lane, Lane]
  stalled: boolean
  /** Bytes still allowed towards the client before the cut; null when no cut is armed. */
  budget: number | null
  /** The budget was armed for one response (by `cutResponses`), not by `cut`. */
  budgetForResponse: boolean
  /** A body budget waiting for the end of the response head (`\r\n\r\n`), and what of it came. */
  bodyBudget: { afterBytes: number; tail: string } | null
  closed: boolean
}

const REQUEST_LINE = /(?:^|\r\n)((?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \S+ HTTP\/1\.[01])\r\n/g

/**
 * Starts a proxy on a free port of 127.0.0.1 forwarding to `127.0.0.1:<targetPort>`. While the
 * target is down, connections are accepted and closed, as a load balancer in front of a
 * restarting server would.
 *
 * @example
 * const proxy = await startTcpProxy(server.port)
 * const client = createShopClient({ baseUrl: proxy.url, token })
 * proxy.cut({ afterBytes: 40, where: (c) => c.lastRequest.startsWith('GET /api/events') })
 */
export const startTcpProxy = async (targetPort: number): Promise<TcpProxy> => {
  const open = new Set<Connection>()
  const faults = { cut: 0, stall: 0, delay: 0 }
  let delayMs = 0
  let stallNew = false
  let nextId = 1
  const armed: Required<ResponseCut>[] = []

  const destroy = (connection: Connection): void => {
    if (connection.closed) return
    connection.closed = true
    open.delete(connection)
    connection.client.destroy()
    connection.upstream.destroy()
  }

  const pump = async (connection: Connection, lane: Lane): Promise<void> => {
    if (lane.pumping) return
    lane.pumping = true
    try {
      while (!connection.closed && !connection.stalled && lane.queue.length > 0) {
        const chunk = lane.queue[0] as Chunk
        const wait = chunk.readyAt - Date.now()
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait))
          continue // the connection may have been stalled or cut meanwhile
        }
        lane.queue.shift()
        let data = chunk.data
        if (lane.down && connection.bodyBudget !== null) {
          const pending = connection.bodyBudget
          const text = pending.tail + data.toString('latin1')
          const end = text.indexOf('\r\n\r\n')
          if (end >= 0) {
            connection.budget = end + 4 - pending.tail.length + pending.afterBytes
            connection.bodyBudget = null
          } else pending.tail = text.slice(-3)
        }
        if (lane.down && connection.budget !== null) {
          if (data.length >= connection.budget) {
            data = data.subarray(0, connection.budget)
            if (data.length > 0) {
              connection.bytesDown += data.length
              lane.to.write(data)
            }
            // Let the partial write leave before the sockets go.
            await new Promise<void>((resolve) => lane.to.write(Buffer.alloc(0), () => resolve()))
            if (!connection.closed) faults.cut++
            destroy(connection)
            return
          }
          connection.budget -= data.length
        }
        if (lane.down) connection.bytesDown += data.length
        if (!lane.to.write(data)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              lane.to.off('drain', done)
              lane.to.off('close', done)
              resolve()
            }
            lane.to.once('drain', done)
            lane.to.once('close', done)
          })
        }
      }
    } finally {
      lane.pumping = false
    }
  }

  const wire = (connection: Connection, lane: Lane): void => {
    lane.from.on('data', (data: Buffer) => {
      if (!lane.down) {
        for (const match of data.toString('latin1').matchAll(REQUEST_LINE)) {
          connection.lastRequest = match[1] as string
          const rule = armed.find((r) => r.times > 0 && r.request.test(connection.lastRequest))
          if (rule) {
            rule.times--
            // HTTP/1.1 without pipelining: the previous response is over, this one comes next.
            if (rule.of === 'body') {
              connection.budget = null
              connection.bodyBudget = { afterBytes: rule.afterBytes, tail: '' }
            } else connection.budget = rule.afterBytes
            connection.budgetForResponse = true
          } else if (connection.budgetForResponse) {
            // The armed response was shorter than the budget; the cut was for it alone.
            connection.budget = null
            connection.bodyBudget = null
            connection.budgetForResponse = false
          }
        }
      }
      lane.queue.push({ data, readyAt: Date.now() + delayMs })
      if (connection.stalled) lane.from.pause()
      void pump(connection, lane)
    })
    // A half-close is passed on once everything before it has been forwarded.
    lane.from.on('end', () => {
      const finish = () => {
        if (connection.closed) return
        if (lane.queue.length > 0 || lane.pumping || connection.stalled) setTimeout(finish, 10)
        else lane.to.end()
      }
      finish()
    })
    lane.from.on('close', () => {
      // Once either side is gone for good, so is the connection, after what is queued. While
      // stalled the other peer must not notice, so that waits for resume() or a cut.
      const finish = () => {
        if (connection.closed) return
        if (lane.queue.length > 0 || lane.pumping || connection.stalled) setTimeout(finish, 10)
        else destroy(connection)
      }
      finish()
    })
    lane.from.on('error', () => destroy(connection))
  }

  const setStalled = (connection: Connection, stalled: boolean): void => {
    connection.stalled = stalled
    for (const lane of connection.lanes) {
      if (stalled) lane.from.pause()
      else {
        lane.from.resume()
        void pump(connection, lane)
      }
    }
  }

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    if (refusing) {
      client.destroy()
      return
    }
    const upstream = tcpConnect({ host: '127.0.0.1', port: targetPort })
    upstream.setNoDelay(true)
    client.setNoDelay(true)
    const up: Lane = { from: client, to: upstream, queue: [], pumping: false, down: false }
    const down: Lane = { from: upstream, to: client, queue: [], pumping: false, down: true }
    const connection: Connection = {
      id: nextId++,
      lastRequest: '',
      bytesDown: 0,
      client,
      upstream,
      lanes: [up, down],
      stalled: false,
      budget: null,
      budgetForResponse: false,
      bodyBudget: null,
      closed: false,
    }
    open.add(connection)
    let wired = false
    client.once('close', () => {
      if (!wired) destroy(connection)
    })
    upstream.once('connect', () => {
      if (connection.closed) return
      wired = true
      wire(connection, up)
      wire(connection, down)
      setStalled(connection, stallNew)
    })
    upstream.once('error', () => destroy(connection))
    client.once('error', () => destroy(connection))
  })
  let refusing = false

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port')
  const port = address.port

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return [...open]
    },
    get faults() {
      return { ...faults }
    },
    cut(options = {}) {
      const chosen = [...open].filter((c) => options.where?.(c) ?? true)
      for (const connection of chosen) {
        connection.budget = Math.min(connection.budget ?? Infinity, options.afterBytes ?? 0)
        connection.budgetForResponse = false
        // Nothing more may pass: cut now rather than when the next byte comes.
        if (connection.budget === 0) {
          faults.cut++
          destroy(connection)
        }
      }
      return chosen.length
    },
    cutResponses({ request, afterBytes, of = 'response', times = 1 }) {
      armed.push({ request, afterBytes, of, times })
    },
    stall(scope = 'open') {
      faults.stall++
      if (scope === 'all') stallNew = true
      for (const connection of open) setStalled(connection, true)
    },
    delay(ms) {
      if (ms > 0) faults.delay++
      delayMs = ms
    },
    resume() {
      stallNew = false
      delayMs = 0
      for (const connection of open) {
        for (const lane of connection.lanes) for (const chunk of lane.queue) chunk.readyAt = 0
        setStalled(connection, false)
      }
    },
    disarm() {
      armed.length = 0
      for (const connection of open) {
        connection.budget = null
        connection.bodyBudget = null
        connection.budgetForResponse = false
      }
    },
    async close() {
      refusing = true
      for (const connection of [...open]) destroy(connection)
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
