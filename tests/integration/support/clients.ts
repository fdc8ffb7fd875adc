// SDK clients against a real server, and the helpers the integration tests read them with:
// every event the store was handed, every request it made, a gate that holds commands back, and
// waits on a store condition (with a timeout) instead of sleeps.
import { expect } from 'vitest'
import type { Snapshot, SnapshotReason } from '../../../src/actions/index.js'
import type { ShopClient, ShopClientOptions, ShopState } from '../../../src/store/index.js'
import { createShopClient, createSyncConnection } from '../../../src/store/index.js'
import { toProductView } from '../../../src/store/state.js'

export interface Recorded {
  client: ShopClient
  /** The seq of every commit event handed to the store, in order. */
  commits: number[]
  /** Every snapshot event handed to the store, in order. */
  snapshots: Array<{ reason: SnapshotReason; epoch: string; seq: number }>
  /** `METHOD /path` of every request the client made. */
  requests: string[]
}

/** Holds command requests (everything but the stream) until `open()`. */
export interface Gate {
  close(): void
  open(): void
  /** Requests waiting at the gate right now. */
  readonly waiting: number
  pass(): Promise<void>
}

export const createGate = (): Gate => {
  let opened: Promise<void> = Promise.resolve()
  let release = (): void => {}
  let waiting = 0
  return {
    close() {
      opened = new Promise((resolve) => {
        release = resolve
      })
    },
    open: () => release(),
    get waiting() {
      return waiting
    },
    async pass() {
      waiting += 1
      await opened
      waiting -= 1
    },
  }
}

export interface ClientSetup extends Partial<ShopClientOptions> {
  gate?: Gate
  /** Start following the stream at once (default true). */
  start?: boolean
}

/**
 * A client of the server at `url` with `token`, recording what it receives and sends. The sync
 * connection's jitter rolls are scaled down (×0.1) so that reconnects after a failure come within
 * a fraction of the server's `retry:`; the backoff rule itself is unchanged.
 */
export const connectClient = (url: string, token: string, setup: ClientSetup = {}): Recorded => {
  const { gate, start = true, ...options } = setup
  const recorded: Omit<Recorded, 'client'> = { commits: [], snapshots: [], requests: [] }
  const fetchThrough: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname
    recorded.requests.push(`${init?.method ?? 'GET'} ${path}`)
    if (gate !== undefined && path !== '/api/events') await gate.pass()
    return fetch(input, init)
  }
  const client = createShopClient({
    baseUrl: url,
    token,
    fetch: fetchThrough,
    connect: (handlers, syncOptions) =>
      createSyncConnection(
        {
          ...handlers,
          onSnapshot(data, id) {
            recorded.snapshots.push({ reason: data.reason, epoch: data.epoch, seq: data.seq })
            handlers.onSnapshot(data, id)
          },
          onCommit(commit, id) {
            recorded.commits.push(commit.seq)
            handlers.onCommit(commit, id)
          },
        },
        { ...syncOptions, random: () => Math.random() * 0.1 },
      ),
    ...options,
  })
  if (start) client.start()
  return { client, ...recorded }
}

/**
 * Resolves with `read(state)` once it is truthy, checking now and after every store change;
 * rejects after `timeoutMs` naming `what`.
 */
export const until = <T>(
  client: ShopClient,
  read: (state: ShopState) => T | false | null | undefined,
  what: string,
  timeoutMs = 15_000,
): Promise<T> =>
  new Promise((resolve, reject) => {
    const first = read(client.store.getState())
    if (first) {
      resolve(first)
      return
    }
    const timer = setTimeout(() => {
      unsubscribe()
      const { connection, position } = client.store.getState()
      reject(
        new Error(
          `timed out waiting for ${what} (connection ${connection.status}, ` +
            `${connection.lastError?.code ?? 'no error'}, position ${JSON.stringify(position)})`,
        ),
      )
    }, timeoutMs)
    const unsubscribe = client.store.subscribe((state) => {
      const value = read(state)
      if (!value) return
      clearTimeout(timer)
      unsubscribe()
      resolve(value)
    })
  })

export const live = (client: ShopClient): Promise<true> =>
  until(client, (state) => state.connection.status === 'live' && state.position !== null, 'live')

/** What the store should hold for a snapshot: the reducers' shape of the same data. */
const expectedData = (snapshot: Snapshot): ShopState['view'] => ({
  products: Object.fromEntries(snapshot.products.map((p) => [p.sku, toProductView(p)])),
  cart: Object.fromEntries(
    snapshot.cart.map(({ sku, qty, expiresAt }) => [sku, { sku, qty, expiresAt }]),
  ),
  orders: Object.fromEntries(snapshot.orders.map((order) => [order.id, order])),
})

/**
 * Waits until the client's store holds exactly what `GET /api/snapshot` answers now (read after
 * the last write), with nothing pending; `serverTime` and `seq` are not compared, since a user's
 * position may stop short of the newest seq when the last commits were for someone else.
 */
export const expectSameAsServer = async (
  client: ShopClient,
  snapshot: Snapshot,
  timeoutMs = 15_000,
): Promise<void> => {
  const comparable = (state: ShopState) => ({
    epoch: state.position?.epoch,
    pending: Object.keys(state.pending),
    data: state.view,
  })
  await expect
    .poll(() => comparable(client.store.getState()), { timeout: timeoutMs, interval: 20 })
    .toEqual({ epoch: snapshot.epoch, pending: [], data: expectedData(snapshot) })
}

/** Each seq once, in increasing order. */
export const expectNoDoubles = (commits: readonly number[]): void => {
  const increasing = commits.every((seq, i) => i === 0 || seq > (commits[i - 1] ?? 0))
  expect(increasing, `commit seqs not strictly increasing: ${commits.join(',')}`).toBe(true)
}

/** A client for commands only: it does not follow the stream. */
export const commandClient = (url: string, token: string): ShopClient =>
  connectClient(url, token, { start: false }).client

/** How many times a recorded client asked for the event stream. */
export const streamRequests = (requests: readonly string[]): number =>
  requests.filter((request) => request === 'GET /api/events').length
