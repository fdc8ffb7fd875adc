// The contract between the sync connection (src/store/sync) and the store that owns it.
// The connection turns a server-sent event stream into these calls; it holds no shop state.
import type { Commit, SnapshotEventData } from '../../actions/index.js'

/**
 * Where the connection is; the diagram and every transition are in `machine.ts`.
 * A new connection is `closed` until `start()`. `paused`: the page is hidden, so no stream is
 * open; it resumes from its position when the page is shown (`pauseWhenHidden`).
 */
export type ConnectionStatus =
  | 'connecting'
  | 'live'
  | 'backoff'
  | 'unauthorized'
  | 'paused'
  | 'closed'

/** Failures the connection notices itself; the server's own codes look like `auth/expired`. */
export type LocalErrorCode =
  | 'network'
  | 'http'
  | 'content-type'
  | 'protocol'
  | 'handler'
  | 'stream-ended'
  | 'watchdog'
  | 'offline'

export interface ConnectionError {
  /** The server's problem code when it sent one (e.g. `auth/expired`), else a `LocalErrorCode`. */
  code: string
  message: string
  /** HTTP status when the failure was an HTTP answer. */
  status?: number
}

export interface ConnectionInfo {
  status: ConnectionStatus
  /** Failures since a stream last proved healthy (delivered an event or a heartbeat). */
  attempt: number
  lastError: ConnectionError | null
  /**
   * When the next attempt starts (ms since epoch, `timers.now()`) while in `backoff`, or in
   * `unauthorized` when a refused token is to be tried again (`retryRefused`); `null` otherwise,
   * and in `backoff` while offline (it waits for `online`).
   */
  retryAt: number | null
}

export interface SyncHandlers {
  /** A snapshot event: replace the confirmed state. `id` is its position. */
  onSnapshot(data: SnapshotEventData, id: string): void
  /** A commit event, in order, exactly once per connection. `id` is its position. */
  onCommit(commit: Commit, id: string): void
  /** Every change of the connection's status or error. */
  onStatus(info: ConnectionInfo): void
  /**
   * Optional. Wraps the delivery of every event parsed from one network chunk: `deliver` makes
   * the `onSnapshot`/`onCommit` calls, in order, and `batch` must call it once, synchronously.
   * A store can hold the commits back and apply them together when `deliver` returns (the shop
   * client does). A throw from `batch` counts as a handler's, and the events it delivered prove
   * the stream healthy only once it has returned.
   */
  batch?(deliver: () => void): void
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  now(): number
}

export interface SyncOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:8787`; `''` for the page's own origin. */
  baseUrl: string
  /** The position to resume from (the last applied event's id), asked at every (re)connect. */
  getPosition(): string | null
  /** Bearer token (or a function returning the current one). Without it, cookies are used. */
  token?: string | (() => string | null | undefined) | undefined
  fetch?: typeof fetch
  /**
   * The server's heartbeat interval (default 15000); the watchdog reconnects after 2.5 of them
   * with no bytes at all.
   */
  heartbeatMs?: number
  /**
   * Try again after a refusal (401/403), with the same backoff as after a failure, asking `token`
   * anew: a service comes back by itself once its tokens are good again (a new secret on the
   * server, a clock put right). Default: true when `token` is a function, false otherwise (the
   * same token would only be refused again). A function is asked at each refusal. Status stays
   * `unauthorized` meanwhile, with `retryAt` set.
   */
  retryRefused?: boolean | (() => boolean)
  /**
   * Full-jitter exponential backoff: delay = random() * min(capMs, base * 2 ** attempt), where base
   * is the server's `retry:` when it sent one, else `baseMs` (default 1000); `capMs` defaults to
   * 30000. The whole rule is at the top of `backoff.ts`.
   */
  backoff?: { baseMs?: number; capMs?: number }
  /**
   * Pace a costly live stream: applying live batches may take a third of the wall time, with
   * credit for bursts; past it, the stream is left unread a while, so that the commits meanwhile
   * come as one batch, at a cost of up to 100 ms before a commit shows. A store within that
   * budget, and a catch-up, are never paused. The rule: `pacing.ts`. Default: on when the
   * handlers have `batch` (the shop client's store, whose batch costs the same whatever it
   * holds), off otherwise (a handler that pays per event gains nothing from waiting).
   */
  pace?: boolean
  /**
   * In a browser, hold no stream while the page is hidden (status `paused`, once it has stayed
   * hidden for 2 s, so a glance at another tab costs nothing), and resume from the position when
   * it is shown again. Default true: over HTTP/1.1 a browser opens at most six
   * connections to one origin, shared by all its tabs, so streams in hidden tabs would leave a
   * seventh tab, and every request of the others, waiting. False keeps the stream open while
   * hidden (a page that must react at once in the background, say with a notification).
   */
  pauseWhenHidden?: boolean
  random?: () => number
  timers?: Timers
  /** In a browser: `window` and `document` for online/offline and visibility. Omitted in Node. */
  environment?: { window?: EventTarget; document?: EventTarget & { visibilityState?: string } }
}

export interface SyncConnection {
  /** Starts (or restarts after `unauthorized`/`closed`) the connection loop. */
  start(): void
  /** Ends the loop and any open request; status becomes `closed`. */
  stop(): void
  /**
   * Drops the current stream and connects again at once (keeps the position). After
   * `unauthorized` (say, once new credentials are in) it starts again like `start()`; after
   * `stop()` it does nothing, and while `paused` the page connects when it is shown.
   */
  reconnect(): void
  readonly info: ConnectionInfo
}
