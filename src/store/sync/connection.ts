// The sync loop: feeds the state machine (machine.ts) with what requests, timers and the browser
// report, and carries out each transition: open or abort a request, arm or cancel the backoff
// sleep, listen to online/offline/visibility, tell the store.
import { checkBaseUrl } from '../base-url.js'
import { runAttempt } from './attempt.js'
import { DEFAULT_BACKOFF, sleep } from './backoff.js'
import {
  infoOf,
  initialState,
  isOpen,
  type MachineEvent,
  type MachineState,
  retrying,
  sameInfo,
  step,
} from './machine.js'
import { realTimers } from './timers.js'
import type { ConnectionInfo, SyncConnection, SyncHandlers, SyncOptions } from './types.js'

export const DEFAULT_HEARTBEAT_MS = 15_000
/** The watchdog gives up after this many heartbeat intervals without a byte. */
export const WATCHDOG_HEARTBEATS = 2.5
/** How long a page stays hidden before its stream is let go (`pauseWhenHidden`). */
export const HIDDEN_GRACE_MS = 2000

/** Listening for online/offline/visibility: open, waiting to try again, or paused while hidden. */
const isRunning = (state: MachineState): boolean =>
  isOpen(state.status) || retrying(state) || state.status === 'paused'

const nonNegative = (name: string, value: number | undefined, fallback: number): number => {
  const result = value ?? fallback
  if (!Number.isFinite(result) || result < 0) {
    throw new TypeError(
      `createSyncConnection(...): ${name} must be a finite number of ms, 0 or more; got ${JSON.stringify(value)}.`,
    )
  }
  return result
}

/**
 * Creates a connection that follows `GET /api/events` and hands each event to `handlers`.
 * It starts `closed`; call `start()`. Runs in browsers and in Node 20.
 *
 * @example
 * const connection = createSyncConnection(
 *   {
 *     onSnapshot: (data, id) => store.reset(data, id),
 *     onCommit: (commit, id) => store.apply(commit, id),
 *     onStatus: (info) => store.setConnection(info),
 *   },
 *   { baseUrl: 'http://127.0.0.1:8787', getPosition: () => store.position(), token },
 * )
 * connection.start()
 */
export const createSyncConnection = (
  handlers: SyncHandlers,
  options: SyncOptions,
): SyncConnection => {
  checkBaseUrl('createSyncConnection', options.baseUrl, options.fetch !== undefined)
  if (typeof options.getPosition !== 'function') {
    throw new TypeError('createSyncConnection(...): getPosition must be a function.')
  }
  const heartbeatMs = nonNegative('heartbeatMs', options.heartbeatMs, DEFAULT_HEARTBEAT_MS)
  if (heartbeatMs === 0) throw new TypeError('createSyncConnection(...): heartbeatMs must be > 0.')
  const policy = {
    baseMs: nonNegative('backoff.baseMs', options.backoff?.baseMs, DEFAULT_BACKOFF.baseMs),
    capMs: nonNegative('backoff.capMs', options.backoff?.capMs, DEFAULT_BACKOFF.capMs),
  }
  const timers = options.timers ?? realTimers
  const pauseWhenHidden = options.pauseWhenHidden ?? true
  const hidden = (): boolean =>
    pauseWhenHidden && options.environment?.document?.visibilityState === 'hidden'
  const random = options.random ?? Math.random
  // Looked up at call time, and never called as a method (some browsers insist on `this`).
  const fetchFn: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const renewable = (): boolean => {
    const retry = options.retryRefused ?? typeof options.token === 'function'
    return typeof retry === 'function' ? retry() : retry
  }
  const getToken = (): string | null => {
    const token = typeof options.token === 'function' ? options.token() : options.token
    return token || null
  }

  let state = initialState(policy)
  let info: ConnectionInfo = infoOf(state)
  let request: AbortController | null = null
  let wait: AbortController | null = null
  let unlisten: (() => void) | null = null

  // Events raised while a transition is carried out (a handler calling stop(), say) wait their
  // turn, so every transition completes before the next begins.
  const queue: MachineEvent[] = []
  let dispatching = false
  const dispatch = (event: MachineEvent): void => {
    queue.push(event)
    if (dispatching) return
    dispatching = true
    try {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const prev = state
        state = step(prev, next)
        if (state !== prev) carryOut(prev, state)
      }
    } finally {
      dispatching = false
    }
  }

  const carryOut = (prev: MachineState, next: MachineState): void => {
    if (request && (next.request !== prev.request || !isOpen(next.status))) {
      request.abort()
      request = null
    }
    if (wait && (!retrying(next) || next.retryAt !== prev.retryAt)) {
      wait.abort()
      wait = null
    }
    if (isRunning(next) && !unlisten) unlisten = listen()
    if (!isRunning(next) && unlisten) {
      unlisten()
      unlisten = null
    }
    if (!sameInfo(prev, next)) {
      info = infoOf(next)
      notify(info)
    }
    if (next.status === 'connecting' && next.request !== prev.request) open()
    if (retrying(next) && next.retryAt !== null && next.retryAt !== prev.retryAt) {
      waitUntil(next.retryAt)
    }
  }

  const notify = (current: ConnectionInfo): void => {
    try {
      handlers.onStatus(current)
    } catch (err) {
      // The loop must stay consistent; the error still surfaces, as an uncaught one.
      queueMicrotask(() => {
        throw err
      })
    }
  }

  const open = (): void => {
    const controller = new AbortController()
    request = controller
    void runAttempt({
      fetch: fetchFn,
      baseUrl: options.baseUrl,
      getPosition: () => options.getPosition(),
      getToken,
      handlers,
      // Pacing saves only where a batch costs the same whatever it holds (`pacing.ts`).
      pace: options.pace ?? handlers.batch !== undefined,
      watchdogMs: heartbeatMs * WATCHDOG_HEARTBEATS,
      timers,
      signal: controller.signal,
      report: (r) => {
        if (r.type === 'failed') dispatch({ ...r, at: timers.now(), roll: random() })
        else if (r.type === 'refused') {
          dispatch({ ...r, at: timers.now(), roll: random(), renewable: renewable() })
        } else dispatch(r)
      },
    })
  }

  const waitUntil = (retryAt: number): void => {
    const controller = new AbortController()
    wait = controller
    sleep(Math.max(0, retryAt - timers.now()), controller.signal, timers).then(
      () => {
        if (wait !== controller) return
        wait = null
        dispatch({ type: 'timer-fired' })
      },
      () => {},
    )
  }

  const listen = (): (() => void) => {
    const { window: win, document: doc } = options.environment ?? {}
    const online = (): void => dispatch({ type: 'online', at: timers.now() })
    const offline = (): void => dispatch({ type: 'offline' })
    // A glance at another tab costs nothing: the stream goes once the page has stayed hidden for
    // HIDDEN_GRACE_MS.
    let grace: AbortController | null = null
    const endGrace = (): void => {
      grace?.abort()
      grace = null
    }
    const visibility = (): void => {
      endGrace()
      if (doc?.visibilityState === 'visible') {
        dispatch({ type: 'visible', at: timers.now() })
        return
      }
      if (!hidden()) return
      const controller = new AbortController()
      grace = controller
      sleep(HIDDEN_GRACE_MS, controller.signal, timers).then(
        () => {
          if (grace !== controller) return
          grace = null
          if (hidden()) dispatch({ type: 'hidden' })
        },
        () => {},
      )
    }
    win?.addEventListener('online', online)
    win?.addEventListener('offline', offline)
    doc?.addEventListener('visibilitychange', visibility)
    return () => {
      endGrace()
      win?.removeEventListener('online', online)
      win?.removeEventListener('offline', offline)
      doc?.removeEventListener('visibilitychange', visibility)
    }
  }

  return {
    start: () => dispatch({ type: 'start', hidden: hidden() }),
    stop: () => dispatch({ type: 'stop' }),
    reconnect: () => dispatch({ type: 'reconnect', hidden: hidden() }),
    get info() {
      return info
    },
  }
}
