// SDK clients for the fault tests: the real `createShopClient`, with every stream event it hands
// to its store recorded (to prove nothing was lost or applied twice) and its reconnections noted.
import { parsePosition } from '../../../src/actions/index.js'
import { signToken } from '../../../src/server/index.js'
import type { ConnectionInfo } from '../../../src/store/index.js'
import { createShopClient, type ShopClient } from '../../../src/store/index.js'
import { createSyncConnection } from '../../../src/store/sync/index.js'

/** One event the connection handed to the store, in order. */
export type Delivery =
  | { kind: 'snapshot'; epoch: string; seq: number; reason: string }
  | { kind: 'commit'; epoch: string; seq: number; actions: unknown[] }

export interface RecordedClient {
  user: string
  client: ShopClient
  deliveries: Delivery[]
  /**
   * Each request the connection opened to the stream: when (Date.now()), and when its backoff had
   * planned it (`retryAt`: the client's own decision; null for the first and for reconnect()).
   */
  connects: { at: number; planned: number | null }[]
  /** Times at which the connection became `live` (the server answered with the stream). */
  liveAt: number[]
  /** Every error the connection reported (`watchdog`, `network`, …) and when. */
  errors: { code: string; at: number }[]
  stop(): void
}

export interface ClientOptions {
  baseUrl: string
  user: string
  secret: string
  heartbeatMs?: number
  /** The SDK's reconnect backoff (see src/store/sync/backoff.ts); the default when omitted. */
  backoff?: { baseMs?: number; capMs?: number }
}

/**
 * Creates and starts a recorded client for `user`.
 *
 * @example
 * const ann = startClient({ baseUrl: proxy.url, user: 'ann', secret, heartbeatMs: 100 })
 * await ann.client.setCartQty('tee', 1)
 */
export const startClient = (options: ClientOptions): RecordedClient => {
  const deliveries: Delivery[] = []
  const liveAt: number[] = []
  const connects: RecordedClient['connects'] = []
  const errors: { code: string; at: number }[] = []
  const token = signToken(options.secret, { user: options.user })
  let lastStatus: ConnectionInfo | null = null
  const client = createShopClient({
    baseUrl: options.baseUrl,
    token,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    connect: (handlers, syncOptions) =>
      createSyncConnection(
        {
          onSnapshot(data, id) {
            const position = parsePosition(id)
            deliveries.push({
              kind: 'snapshot',
              epoch: position?.epoch ?? '?',
              seq: position?.seq ?? Number.NaN,
              reason: data.reason,
            })
            handlers.onSnapshot(data, id)
          },
          onCommit(commit, id) {
            const position = parsePosition(id)
            deliveries.push({
              kind: 'commit',
              epoch: position?.epoch ?? '?',
              seq: commit.seq,
              actions: commit.actions,
            })
            handlers.onCommit(commit, id)
          },
          onStatus(info) {
            if (info.status === 'live' && lastStatus?.status !== 'live') liveAt.push(Date.now())
            if (info.status === 'connecting') {
              const planned = lastStatus?.status === 'backoff' ? lastStatus.retryAt : null
              connects.push({ at: Date.now(), planned })
            }
            if (info.lastError !== null && info.lastError !== lastStatus?.lastError) {
              errors.push({ code: info.lastError.code, at: Date.now() })
            }
            lastStatus = info
            handlers.onStatus(info)
          },
        },
        { ...syncOptions, ...(options.backoff ? { backoff: options.backoff } : {}) },
      ),
  })
  client.start()
  return {
    user: options.user,
    client,
    deliveries,
    connects,
    liveAt,
    errors,
    stop: () => client.stop(),
  }
}
