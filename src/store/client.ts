// The shop client: one store, its dispatcher, the sync connection feeding it and the commands.
// The same object runs in a browser (cookies or a token) and in Node 20 (a token).
import type { Session } from '../actions/index.js'
import { formatPosition, PATHS } from '../actions/index.js'
import { checkBaseUrl } from './base-url.js'
import type { ClientAction, CommitEvent } from './client-actions.js'
import type { ShopCommands } from './commands.js'
import { createCommands } from './commands.js'
import type { CommandResult } from './http.js'
import { createHttp } from './http.js'
import { createIdMaker } from './ids.js'
import type { ReadonlyShopStore } from './store.js'
import { createShopStore } from './store.js'
import type { SyncConnection, SyncHandlers, SyncOptions, Timers } from './sync/index.js'
import { createSyncConnection, realTimers } from './sync/index.js'

export interface ShopClientOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:8787`; `''` for the page's own origin. */
  baseUrl: string
  /**
   * Bearer token from the host application, or a function that gives the one to use now: it is
   * asked for every command and every (re)connect, so a service can renew its token before it
   * expires (a stream whose token expires is ended by the server, and the reconnect asks again).
   * A stream refused with a function's token is tried again with backoff (status `unauthorized`,
   * `retryAt` set); with a fixed token it stays `unauthorized` until `start()` or `reconnect()`.
   * Without one, the session cookie is used. `signIn` replaces either.
   */
  token?: string | (() => string | null)
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch
  /** Makes the sync connection; defaults to `createSyncConnection`. Tests pass a fake. */
  connect?: (handlers: SyncHandlers, options: SyncOptions) => SyncConnection
  timers?: Timers
  /** Random numbers in [0, 1) for backoff jitter and command ids; defaults to crypto / Math.random. */
  random?: () => number
  /** The server's heartbeat interval (`SHELFSYNC_HEARTBEAT_MS`), for the watchdog. */
  heartbeatMs?: number
  /** `window` and `document` for online/offline and visibility; found by itself in a browser. */
  environment?: SyncOptions['environment']
  /** Retries of a command after network errors, 5xx and 429 (default 3). */
  retries?: number
  /** Pace a costly live stream (default true); see `SyncOptions.pace`. */
  pace?: boolean
  /** Hold no stream while the page is hidden (default true); see `SyncOptions.pauseWhenHidden`. */
  pauseWhenHidden?: boolean
  /**
   * Try a refused stream again (default: when `token` is a function, until `signIn`); see
   * `SyncOptions.retryRefused`.
   */
  retryRefused?: boolean
}

export interface ShopClient extends ShopCommands {
  /** Read and subscribe; change it only through `dispatch` (or the commands). */
  store: ReadonlyShopStore
  dispatch(action: ClientAction): void
  /** Starts following the stream. */
  start(): void
  /** Stops following the stream; the store keeps what it has. */
  stop(): void
  /** Demo mode: signs in as `user` (`POST /api/session`) and uses the returned token from now on. */
  signIn(user: string): Promise<CommandResult<Session>>
  dismissNotice(id: string): void
  /**
   * Asks for a "back in stock" notice when `sku` can be had again (say, while the user has a
   * sold-out product open). Ends with that notice, with a hold on it, or with `unwatchProduct`.
   */
  watchProduct(sku: string): void
  /** No "back in stock" notice for `sku` any more, whatever the user waited for it for. */
  unwatchProduct(sku: string): void
  connection: SyncConnection
}

const browserEnvironment = (): SyncOptions['environment'] => {
  const { window, document } = globalThis as {
    window?: EventTarget
    document?: EventTarget & { visibilityState?: string }
  }
  if (window === undefined) return undefined
  return document === undefined ? { window } : { window, document }
}

/**
 * Creates a shop client. Nothing goes over the network until `start()` or a command.
 *
 * @example
 * ```ts
 * const client = createShopClient({ baseUrl: 'http://127.0.0.1:8787' })
 * await client.signIn('alice')
 * client.start()
 * client.store.subscribe((state) => console.log(selectButton('tee-m')(state)))
 * await client.setCartQty('tee-m', 1)
 * ```
 */
export const createShopClient = (options: ShopClientOptions): ShopClient => {
  checkBaseUrl('createShopClient', options?.baseUrl, options?.fetch !== undefined)
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis)
  if (typeof fetchImpl !== 'function') {
    throw new TypeError(
      'createShopClient(...): no fetch found. Pass one as `fetch`, or run on Node 20 or later, ' +
        'where fetch is global.',
    )
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const timers = options.timers ?? realTimers
  const random = options.random ?? Math.random
  const given = options.token
  let signedIn: string | null = null
  const currentToken = (): string | null =>
    signedIn ?? (typeof given === 'function' ? given() : (given ?? null))

  const shop = createShopStore()
  const { store } = shop
  // Commits parsed from one network chunk are held back while the chunk is delivered and then
  // applied as one batch (`sync/commits-received`): one `produce`, one store update, one render
  // instead of one per commit. Every other action first lets the held commits through, so the
  // store sees events in the order they came.
  let held: CommitEvent[] | null = null
  const apply = (commits: readonly CommitEvent[]): void => {
    const [only] = commits
    if (commits.length > 1) shop.dispatch({ type: 'sync/commits-received', commits })
    else if (only !== undefined) shop.dispatch({ type: 'sync/commit-received', ...only })
  }
  const release = (): void => {
    if (held === null || held.length === 0) return
    const commits = held
    held = []
    apply(commits)
  }
  const dispatch = (action: ClientAction): void => {
    release()
    shop.dispatch(action)
  }
  const http = createHttp({
    baseUrl,
    fetch: fetchImpl,
    getToken: currentToken,
    timers,
    random,
    ...(options.retries === undefined ? {} : { retries: options.retries }),
  })
  const commands = createCommands({ http, dispatch, newId: createIdMaker(options.random) })

  const handlers: SyncHandlers = {
    onSnapshot: (data, id) =>
      dispatch({ type: 'sync/snapshot-received', data, id, receivedAt: timers.now() }),
    onCommit: (commit, id) => {
      if (held === null) dispatch({ type: 'sync/commit-received', commit, id })
      else held.push({ commit, id })
    },
    onStatus: (info) => dispatch({ type: 'sync/status-changed', info }),
    batch(deliver) {
      if (held !== null) {
        deliver()
        return
      }
      held = []
      try {
        deliver()
      } finally {
        const commits = held
        held = null
        apply(commits)
      }
    },
  }
  const environment = options.environment ?? browserEnvironment()
  const connection = (options.connect ?? createSyncConnection)(handlers, {
    baseUrl,
    getPosition: () => {
      const position = store.getState().position
      return position === null ? null : formatPosition(position.epoch, position.seq)
    },
    token: currentToken,
    // A token function may give a good token after a refusal; a fixed one, or signIn's, not.
    retryRefused: () => options.retryRefused ?? (signedIn === null && typeof given === 'function'),
    fetch: fetchImpl,
    timers,
    random,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(options.pace === undefined ? {} : { pace: options.pace }),
    ...(options.pauseWhenHidden === undefined ? {} : { pauseWhenHidden: options.pauseWhenHidden }),
    ...(environment === undefined ? {} : { environment }),
  })
  let started = false

  return {
    ...commands,
    store,
    dispatch,
    connection,
    start() {
      started = true
      connection.start()
    },
    stop() {
      started = false
      connection.stop()
    },
    async signIn(user) {
      const result = await http.send<Session>({
        method: 'POST',
        path: PATHS.session,
        body: { user },
        // So that the server's session cookie is stored too, whichever way later requests go.
        credentials: 'include',
      })
      if (!result.ok) return result
      signedIn = result.value.token
      dispatch({ type: 'session/changed', user: result.value.user, role: result.value.role })
      // The stream was opened with the old identity; a new one starts from a fresh snapshot.
      if (started) connection.reconnect()
      return result
    },
    dismissNotice: (id) => dispatch({ type: 'notice/dismissed', id }),
    watchProduct: (sku) => dispatch({ type: 'watch/started', sku }),
    unwatchProduct: (sku) => dispatch({ type: 'watch/stopped', sku }),
  }
}
