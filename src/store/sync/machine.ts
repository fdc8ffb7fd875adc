// The sync connection as an explicit state machine: a pure `step(state, event) => state`.
// No clock, no random, no I/O: time and dice rolls arrive in the events; connection.ts does I/O.
//
//             start                opened (200 + text/event-stream)
//   closed ──────────▶ connecting ─────────────────────────────────▶ live
//                       │  ▲   │                                       │
//     refused (401/403) │  │   │ failed, offline                       │ failed (network, 5xx, 429,
//                       ▼  │   ▼                                       │ stream-ended, watchdog,
//            unauthorized  └─ backoff ◀────────────────────────────────┘ handler…), offline
//                         timer-fired, online, visible, reconnect()
//
//   any ──stop──▶ closed            closed, unauthorized ──start──▶ connecting
//   connecting, live ──reconnect()──▶ connecting (a new request); unauthorized: as start
//   unauthorized ──timer-fired, visible──▶ connecting; offline ──▶ backoff: when renewable (below)
//   connecting, live, backoff, unauthorized (renewable) ──hidden──▶ paused ──visible──▶ connecting
//     (backoff while offline, or until a Retry-After the server sent runs out: `notBefore`)
//   start, reconnect() in a hidden page ──▶ paused; while paused, reconnect() waits to be shown
//
// `request` grows each time a new request should be opened; the connection aborts the old one.
// In `backoff`, `retryAt` is when to try again, or `null` while offline (waiting for `online`).
// A refusal ends the loop, as the same token would be refused again; but when the token is
// renewable (a function, asked anew for every request), `unauthorized` keeps a `retryAt` too, with
// the same backoff as a failure, and is then waited out like a backoff: a service whose tokens
// were refused for a while (a new secret on the server, a clock put right) comes back by itself.
// A page that is hidden holds no stream (`paused`; the connection says `hidden` once the page has
// stayed hidden a moment): a browser opens at most six connections to one origin over HTTP/1.1,
// and a stream in every open tab would leave none for the page that is seen. Shown again, it
// resumes from its position and loses nothing. A renewable refusal pauses too; `start` in a
// hidden page pauses at once, without a request.
import { type BackoffPolicy, reconnectDelay } from './backoff.js'
import type { ConnectionError, ConnectionInfo, ConnectionStatus } from './types.js'

export interface MachineState {
  readonly status: ConnectionStatus
  /** Failures since a stream last proved healthy. */
  readonly attempt: number
  readonly lastError: ConnectionError | null
  readonly retryAt: number | null
  /** Serial of the request that should be open; a new value means "open a new one". */
  readonly request: number
  /** The open stream has delivered an event or a heartbeat. */
  readonly healthy: boolean
  /** The last `retry:` the server sent. */
  readonly serverRetryMs: number | null
  /** The browser said `offline` and has not said `online` since. */
  readonly offline: boolean
  /**
   * The server asked not to be asked again before this time (`Retry-After` on the last failure):
   * being shown again or coming back online does not cut that wait short; `reconnect()` does.
   */
  readonly notBefore: number | null
  readonly policy: BackoffPolicy
}

export type FailureKind =
  | 'network'
  | 'http-5xx'
  | 'http-429'
  | 'http'
  | 'content-type'
  | 'protocol'
  | 'handler'
  | 'stream-ended'
  | 'watchdog'

export type MachineEvent =
  | { type: 'start'; hidden?: boolean }
  | { type: 'opened' }
  | { type: 'event-received' }
  | { type: 'retry-hint'; ms: number }
  | {
      type: 'failed'
      kind: FailureKind
      error: ConnectionError
      /** Local time of the failure. */
      at: number
      /** A draw of `random()` for the jitter. */
      roll: number
      retryAfterMs?: number | null | undefined
    }
  | {
      type: 'refused'
      status: 401 | 403
      error: ConnectionError
      at: number
      roll: number
      /** The token may be different at the next request: try again after a backoff. */
      renewable: boolean
    }
  | { type: 'timer-fired' }
  | { type: 'reconnect'; hidden?: boolean }
  | { type: 'stop' }
  | { type: 'online'; at: number }
  | { type: 'offline' }
  | { type: 'visible'; at: number }
  | { type: 'hidden' }

export const OFFLINE_ERROR: ConnectionError = {
  code: 'offline',
  message: 'The device is offline; waiting for the network to come back.',
}

/**
 * The state before `start`: closed, no failures.
 *
 * @example
 * let state = initialState({ baseMs: 1000, capMs: 30_000 })
 * state = step(state, { type: 'start' }) // status 'connecting'
 */
export const initialState = (policy: BackoffPolicy): MachineState => ({
  status: 'closed',
  attempt: 0,
  lastError: null,
  retryAt: null,
  request: 0,
  healthy: false,
  serverRetryMs: null,
  offline: false,
  notBefore: null,
  policy,
})

// A new request ends any wait the server asked for: it came due, or `reconnect()` cut it short.
const connect = (state: MachineState): MachineState => ({
  ...state,
  status: 'connecting',
  retryAt: null,
  request: state.request + 1,
  healthy: false,
  notBefore: null,
})

const pause = (state: MachineState): MachineState => ({
  ...state,
  status: 'paused',
  retryAt: null,
  healthy: false,
})

/** Connects now, or, when the server asked to wait (`notBefore`) past `at`, once it may. */
const resume = (state: MachineState, at: number): MachineState => {
  if (state.notBefore === null || at >= state.notBefore) return connect(state)
  if (state.status !== 'paused' && state.retryAt !== null) return state // its timer waits already
  return { ...state, status: 'backoff', retryAt: state.notBefore }
}

/** A request is open or being opened. */
export const isOpen = (status: ConnectionStatus): boolean =>
  status === 'connecting' || status === 'live'

/**
 * Waiting to try again: a backoff, or a refusal of a renewable token (`retryAt` set). Offline,
 * visible and the timer treat both alike.
 */
export const retrying = (state: MachineState): boolean =>
  state.status === 'backoff' || (state.status === 'unauthorized' && state.retryAt !== null)

/**
 * One transition. Returns the same object when the event changes nothing, so callers can
 * compare with `===`.
 *
 * @example
 * const next = step(state, { type: 'failed', kind: 'network', error, at: now, roll: 0.42 })
 * if (next.status === 'backoff') console.log(`retrying at ${next.retryAt}`)
 */
export const step = (state: MachineState, event: MachineEvent): MachineState => {
  switch (event.type) {
    case 'start': {
      if (state.status !== 'closed' && state.status !== 'unauthorized') return state
      const fresh = { ...state, attempt: 0, lastError: null, offline: false, notBefore: null }
      return event.hidden ? pause(fresh) : connect(fresh)
    }

    case 'stop':
      if (state.status === 'closed') return state
      return { ...state, status: 'closed', retryAt: null, healthy: false, offline: false }

    case 'opened':
      if (state.status !== 'connecting') return state
      // Bytes came through, whatever the browser believes about the network. The failures are
      // still counted (`attempt`) until the stream proves healthy, but the last one is past.
      return { ...state, status: 'live', offline: false, lastError: null }

    case 'event-received':
      if (state.status !== 'live' || state.healthy) return state
      return { ...state, healthy: true, attempt: 0, lastError: null }

    case 'retry-hint':
      if (!isOpen(state.status) || state.serverRetryMs === event.ms) return state
      return { ...state, serverRetryMs: event.ms }

    case 'failed': {
      if (!isOpen(state.status)) return state
      const clean = event.kind === 'stream-ended' && state.status === 'live' && state.healthy
      const delay = reconnectDelay(
        {
          attempt: state.attempt,
          clean,
          serverRetryMs: state.serverRetryMs,
          retryAfterMs: event.retryAfterMs,
          roll: event.roll,
        },
        state.policy,
      )
      return {
        ...state,
        status: 'backoff',
        attempt: clean ? 0 : state.attempt + 1,
        lastError: event.error,
        retryAt: state.offline ? null : event.at + delay,
        healthy: false,
        notBefore: event.retryAfterMs == null ? null : event.at + event.retryAfterMs,
      }
    }

    case 'refused': {
      if (state.status !== 'connecting') return state
      const delay = event.renewable
        ? reconnectDelay(
            {
              attempt: state.attempt,
              clean: false,
              serverRetryMs: state.serverRetryMs,
              roll: event.roll,
            },
            state.policy,
          )
        : null
      return {
        ...state,
        status: 'unauthorized',
        attempt: delay === null ? state.attempt : state.attempt + 1,
        lastError: event.error,
        retryAt: delay === null ? null : event.at + delay,
        healthy: false,
        offline: false,
      }
    }

    case 'timer-fired':
      if (!retrying(state) || state.retryAt === null) return state
      return connect(state)

    case 'reconnect':
      // A hidden page connects when it is shown again.
      if (state.status === 'closed' || state.status === 'paused') return state
      // New credentials usually follow a refusal, so a reconnect then is a fresh start.
      if (state.status === 'unauthorized') return step(state, { ...event, type: 'start' })
      return event.hidden ? pause(state) : connect(state)

    case 'online':
      if (state.status === 'backoff') {
        return resume(state.offline ? { ...state, offline: false } : state, event.at)
      }
      return state.offline ? { ...state, offline: false } : state

    case 'offline':
      if (state.status === 'closed' || (state.status === 'unauthorized' && !retrying(state))) {
        return state
      }
      if (state.offline && (state.status === 'backoff' || state.status === 'paused')) return state
      // Paused, it only remembers: shown again, it waits for the network.
      if (state.status === 'paused') return { ...state, offline: true }
      return {
        ...state,
        status: 'backoff',
        lastError: OFFLINE_ERROR,
        retryAt: null,
        healthy: false,
        offline: true,
      }

    case 'visible':
      if (state.status === 'paused') {
        return state.offline
          ? { ...state, status: 'backoff', lastError: OFFLINE_ERROR }
          : resume(state, event.at)
      }
      if (!retrying(state) || state.offline) return state
      return resume(state, event.at)

    case 'hidden':
      if (!isOpen(state.status) && !retrying(state)) return state
      return pause(state)
  }
}

/**
 * The public view of a state, as `SyncHandlers.onStatus` receives it.
 *
 * @example
 * handlers.onStatus(infoOf(state))
 */
export const infoOf = (state: MachineState): ConnectionInfo => ({
  status: state.status,
  attempt: state.attempt,
  lastError: state.lastError,
  retryAt: state.retryAt,
})

/** Whether two states look the same from outside (no `onStatus` needed). */
export const sameInfo = (a: MachineState, b: MachineState): boolean =>
  a.status === b.status &&
  a.attempt === b.attempt &&
  a.lastError === b.lastError &&
  a.retryAt === b.retryAt
