import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  initialState,
  type MachineEvent,
  type MachineState,
  OFFLINE_ERROR,
  step,
} from '../../../src/store/sync/machine.js'
import type { ConnectionError } from '../../../src/store/sync/types.js'

const isOpenStatus = (s: MachineState): boolean => s.status === 'connecting' || s.status === 'live'

const policy = { baseMs: 1000, capMs: 30_000 }
const NET: ConnectionError = { code: 'network', message: 'fetch failed' }
const AUTH: ConnectionError = { code: 'auth/expired', message: 'Your session ended.', status: 401 }
const AT = 10_000

const state = (over: Partial<MachineState> = {}): MachineState => ({
  ...initialState(policy),
  ...over,
})

const S = {
  closed: state({ lastError: NET }),
  connecting: state({ status: 'connecting', request: 1, attempt: 1, lastError: NET }),
  live: state({ status: 'live', request: 1, attempt: 1, lastError: NET }),
  healthy: state({ status: 'live', request: 1, healthy: true, serverRetryMs: 2500 }),
  backoff: state({ status: 'backoff', request: 1, attempt: 2, lastError: NET, retryAt: 12_000 }),
  offline: state({
    status: 'backoff',
    request: 1,
    attempt: 2,
    lastError: OFFLINE_ERROR,
    offline: true,
  }),
  offlineConnecting: state({ status: 'connecting', request: 2, attempt: 2, offline: true }),
  unauthorized: state({ status: 'unauthorized', request: 1, lastError: AUTH }),
  // Refused with a renewable token (a function): tried again after a backoff.
  renewableRefused: state({
    status: 'unauthorized',
    request: 1,
    attempt: 2,
    lastError: AUTH,
    retryAt: 12_000,
  }),
  // The page is hidden: no stream, no timer.
  paused: state({ status: 'paused', request: 1, attempt: 2, lastError: NET }),
  pausedOffline: state({ status: 'paused', request: 1, attempt: 2, lastError: NET, offline: true }),
  // The server said Retry-After (7 s from AT): shown again or back online, it still waits.
  asked: state({
    status: 'backoff',
    request: 1,
    attempt: 2,
    lastError: NET,
    retryAt: AT + 7000,
    notBefore: AT + 7000,
  }),
  askedPaused: state({
    status: 'paused',
    request: 1,
    attempt: 2,
    lastError: NET,
    notBefore: AT + 7000,
  }),
  askedOffline: state({
    status: 'backoff',
    request: 1,
    attempt: 2,
    lastError: OFFLINE_ERROR,
    offline: true,
    notBefore: AT + 7000,
  }),
}

const failed = (
  kind: Extract<MachineEvent, { type: 'failed' }>['kind'],
  retryAfterMs?: number,
): MachineEvent => ({ type: 'failed', kind, error: NET, at: AT, roll: 0.5, retryAfterMs })

const E = {
  start: { type: 'start' },
  opened: { type: 'opened' },
  received: { type: 'event-received' },
  retryHint: { type: 'retry-hint', ms: 3000 },
  network: failed('network'),
  tooMany: failed('http-429', 7000),
  ended: failed('stream-ended'),
  refused: { type: 'refused', status: 401, error: AUTH, at: AT, roll: 0.5, renewable: false },
  renewed: { type: 'refused', status: 401, error: AUTH, at: AT, roll: 0.5, renewable: true },
  timer: { type: 'timer-fired' },
  reconnect: { type: 'reconnect' },
  stop: { type: 'stop' },
  online: { type: 'online', at: AT },
  offline: { type: 'offline' },
  visible: { type: 'visible', at: AT },
  hidden: { type: 'hidden' },
  startHidden: { type: 'start', hidden: true },
  reconnectHidden: { type: 'reconnect', hidden: true },
} satisfies Record<string, MachineEvent>

type Row = [from: keyof typeof S, event: keyof typeof E, expected: Partial<MachineState> | 'same']

const all = Object.keys(E) as (keyof typeof E)[]
const rows = (from: keyof typeof S, changes: Partial<Record<keyof typeof E, Row[2]>>): Row[] =>
  all.map((event): Row => [from, event, changes[event] ?? 'same'])

const connectingAgain = { status: 'connecting', request: 2, retryAt: null } as const
const offlineWait: Partial<MachineState> = {
  status: 'backoff',
  offline: true,
  retryAt: null,
  lastError: OFFLINE_ERROR,
}

// Every state × every event; 'same' means the step returns the very same object.
const table: Row[] = [
  ...rows('closed', {
    start: { status: 'connecting', request: 1, attempt: 0, lastError: null },
    // Started in a hidden page: no request until it is shown.
    startHidden: { status: 'paused', attempt: 0, lastError: null },
  }),
  ...rows('connecting', {
    opened: { status: 'live', lastError: null },
    retryHint: { serverRetryMs: 3000 },
    // attempt 1: 0.5 * min(30000, 1000 * 2)
    network: { status: 'backoff', attempt: 2, retryAt: AT + 1000 },
    tooMany: { status: 'backoff', attempt: 2, retryAt: AT + 7000, notBefore: AT + 7000 },
    ended: { status: 'backoff', attempt: 2, retryAt: AT + 1000 },
    refused: { status: 'unauthorized', lastError: AUTH },
    // attempt 1, as a failure: 0.5 * min(30000, 1000 * 2)
    renewed: { status: 'unauthorized', attempt: 2, lastError: AUTH, retryAt: AT + 1000 },
    reconnect: connectingAgain,
    stop: { status: 'closed' },
    reconnectHidden: { status: 'paused' },
    offline: offlineWait,
    hidden: { status: 'paused' },
  }),
  ...rows('live', {
    received: { healthy: true, attempt: 0, lastError: null },
    retryHint: { serverRetryMs: 3000 },
    network: { status: 'backoff', attempt: 2, retryAt: AT + 1000, lastError: NET },
    tooMany: { status: 'backoff', attempt: 2, retryAt: AT + 7000, notBefore: AT + 7000 },
    // Ended before it proved healthy: a failure, so a server that drops at once backs off more.
    ended: { status: 'backoff', attempt: 2, retryAt: AT + 1000 },
    reconnect: { ...connectingAgain, attempt: 1 },
    reconnectHidden: { status: 'paused' },
    stop: { status: 'closed' },
    offline: offlineWait,
    hidden: { status: 'paused' },
  }),
  ...rows('healthy', {
    retryHint: { serverRetryMs: 3000 },
    // base is the server's retry (2500): 0.5 * min(30000, 2500 * 2^0)
    network: { status: 'backoff', attempt: 1, retryAt: AT + 1250, healthy: false, lastError: NET },
    tooMany: {
      status: 'backoff',
      attempt: 1,
      retryAt: AT + 7000,
      healthy: false,
      lastError: NET,
      notBefore: AT + 7000,
    },
    // A clean end of a healthy stream waits exactly `retry:` and is not a failure.
    ended: { status: 'backoff', attempt: 0, retryAt: AT + 2500, healthy: false, lastError: NET },
    reconnect: { ...connectingAgain, healthy: false },
    reconnectHidden: { status: 'paused', healthy: false },
    stop: { status: 'closed', healthy: false },
    offline: { ...offlineWait, healthy: false },
    hidden: { status: 'paused', healthy: false },
  }),
  ...rows('backoff', {
    timer: { ...connectingAgain, attempt: 2 },
    reconnect: connectingAgain,
    reconnectHidden: { status: 'paused', retryAt: null },
    stop: { status: 'closed', retryAt: null },
    online: connectingAgain,
    offline: offlineWait,
    visible: connectingAgain,
    hidden: { status: 'paused', retryAt: null },
  }),
  ...rows('offline', {
    reconnect: { status: 'connecting', request: 2, offline: true },
    reconnectHidden: { status: 'paused' },
    stop: { status: 'closed', offline: false },
    online: { ...connectingAgain, offline: false },
    // Still offline: shown again, it waits for the network.
    hidden: { status: 'paused' },
  }),
  ...rows('offlineConnecting', {
    opened: { status: 'live', offline: false },
    retryHint: { serverRetryMs: 3000 },
    network: { status: 'backoff', attempt: 3, retryAt: null, lastError: NET },
    tooMany: { status: 'backoff', attempt: 3, retryAt: null, lastError: NET, notBefore: AT + 7000 },
    ended: { status: 'backoff', attempt: 3, retryAt: null, lastError: NET },
    refused: { status: 'unauthorized', lastError: AUTH, offline: false },
    // attempt 2: 0.5 * min(30000, 1000 * 4)
    renewed: {
      status: 'unauthorized',
      attempt: 3,
      lastError: AUTH,
      retryAt: AT + 2000,
      offline: false,
    },
    reconnect: { request: 3 },
    reconnectHidden: { status: 'paused' },
    stop: { status: 'closed', offline: false },
    online: { offline: false },
    offline: offlineWait,
    hidden: { status: 'paused' },
  }),
  ...rows('unauthorized', {
    start: { status: 'connecting', request: 2, attempt: 0, lastError: null },
    reconnect: { status: 'connecting', request: 2, attempt: 0, lastError: null },
    reconnectHidden: { status: 'paused', attempt: 0, lastError: null },
    stop: { status: 'closed', lastError: AUTH },
    startHidden: { status: 'paused', attempt: 0, lastError: null },
  }),
  // Waited out like a backoff.
  ...rows('renewableRefused', {
    start: { status: 'connecting', request: 2, attempt: 0, lastError: null, retryAt: null },
    timer: { ...connectingAgain, attempt: 2 },
    reconnect: { status: 'connecting', request: 2, attempt: 0, lastError: null, retryAt: null },
    reconnectHidden: { status: 'paused', attempt: 0, lastError: null, retryAt: null },
    stop: { status: 'closed', retryAt: null },
    offline: { ...offlineWait, status: 'backoff' },
    visible: connectingAgain,
    startHidden: { status: 'paused', attempt: 0, lastError: null, retryAt: null },
    hidden: { status: 'paused', retryAt: null },
  }),
  // Hidden: only being shown again (or stop) ends it; a reconnect waits for that too.
  ...rows('paused', {
    visible: { status: 'connecting', request: 2 },
    stop: { status: 'closed' },
    offline: { offline: true },
  }),
  ...rows('pausedOffline', {
    visible: { status: 'backoff', lastError: OFFLINE_ERROR },
    stop: { status: 'closed', offline: false },
    online: { offline: false },
  }),
  // Only its timer (at notBefore or later), a reconnect() or a fresh start connects.
  ...rows('asked', {
    timer: { status: 'connecting', request: 2, retryAt: null, notBefore: null },
    reconnect: { status: 'connecting', request: 2, retryAt: null, notBefore: null },
    reconnectHidden: { status: 'paused', retryAt: null },
    stop: { status: 'closed', retryAt: null },
    offline: offlineWait,
    hidden: { status: 'paused', retryAt: null },
  }),
  ...rows('askedPaused', {
    visible: { status: 'backoff', retryAt: AT + 7000 },
    stop: { status: 'closed' },
    offline: { offline: true },
  }),
  ...rows('askedOffline', {
    online: { offline: false, retryAt: AT + 7000 },
    reconnect: { status: 'connecting', request: 2, notBefore: null },
    reconnectHidden: { status: 'paused' },
    stop: { status: 'closed', offline: false },
    hidden: { status: 'paused' },
  }),
]

describe('connection state machine', () => {
  it.each(table)('%s + %s', (from, event, expected) => {
    const before = S[from]
    const after = step(before, E[event])
    if (expected === 'same') expect(after).toBe(before)
    else expect(after).toEqual({ ...before, ...expected })
  })

  it('covers every state × event pair in the table', () => {
    expect(table).toHaveLength(Object.keys(S).length * all.length)
  })

  it('a new machine is closed with no failures', () => {
    expect(initialState(policy)).toMatchObject({ status: 'closed', attempt: 0, retryAt: null })
  })

  const anyEvent: fc.Arbitrary<MachineEvent> = fc.oneof(
    fc.constantFrom<MachineEvent>(
      E.start,
      E.opened,
      E.received,
      E.refused,
      E.renewed,
      { ...E.renewed, status: 403, roll: 0.99 },
      E.timer,
      E.reconnect,
      E.stop,
      E.offline,
      E.hidden,
      E.startHidden,
      E.reconnectHidden,
    ),
    fc.integer({ min: 0, max: 120_000 }).map((ms): MachineEvent => ({ type: 'retry-hint', ms })),
    fc
      .record({
        type: fc.constantFrom('online' as const, 'visible' as const),
        at: fc.integer({ min: 0, max: 1e9 }),
      })
      .map((e): MachineEvent => e),
    fc
      .record({
        kind: fc.constantFrom('network', 'http-5xx', 'http-429', 'stream-ended', 'watchdog'),
        at: fc.integer({ min: 0, max: 1e9 }),
        roll: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        retryAfterMs: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
      })
      .map((f): MachineEvent => ({ type: 'failed', error: NET, ...f })),
  )

  it('keeps its invariants over any sequence of events, with a fixed token or a renewable one', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 60 }), (events) => {
        let s = initialState(policy)
        let renewable = false // whether the refusal that led to `unauthorized` was renewable
        for (const event of events) {
          const prev = s
          s = step(prev, event)
          if (event.type === 'refused' && s !== prev) renewable = event.renewable
          // A timer runs exactly when in backoff and online, or refused with a renewable token.
          expect(s.retryAt !== null).toBe(
            (s.status === 'backoff' && !s.offline) || (s.status === 'unauthorized' && renewable),
          )
          expect(Number.isInteger(s.attempt) && s.attempt >= 0).toBe(true)
          if (s.healthy) expect(s.status).toBe('live')
          // A new request exactly when entering connecting (or re-entering it).
          const opened = s.request !== prev.request
          expect(s.request - prev.request).toBe(opened ? 1 : 0)
          if (opened) expect(s.status).toBe('connecting')
          if (event.type === 'failed' && s.retryAt !== null && s !== prev) {
            const delay = s.retryAt - event.at
            const longest = Math.max(policy.capMs, prev.serverRetryMs ?? 0, event.retryAfterMs ?? 0)
            expect(delay).toBeGreaterThanOrEqual(event.retryAfterMs ?? 0)
            expect(delay).toBeLessThanOrEqual(longest)
          }
          // Only start leaves closed; only start or reconnect leaves unauthorized, and what ends
          // a wait when the token is renewable.
          const leaves = [
            'start',
            'stop',
            ...(prev.status === 'unauthorized' ? ['reconnect'] : []),
            ...(prev.status === 'unauthorized' && prev.retryAt !== null
              ? ['timer-fired', 'visible', 'offline', 'hidden']
              : []),
          ]
          if (
            (prev.status === 'closed' || prev.status === 'unauthorized') &&
            !leaves.includes(event.type)
          ) {
            expect(s).toBe(prev)
          }
          // Being shown or coming back online never connects before the server's Retry-After.
          if ((event.type === 'visible' || event.type === 'online') && opened) {
            expect(event.at).toBeGreaterThanOrEqual(prev.notBefore ?? 0)
          }
          if (s.retryAt !== null && s.notBefore !== null) {
            expect(s.retryAt).toBeGreaterThanOrEqual(s.notBefore)
          }
          // Paused holds no request and no timer; only being shown, or stop, ends it.
          if (s.status === 'paused') expect(s.retryAt).toBeNull()
          if (prev.status === 'paused' && s.status !== 'paused') {
            expect(['visible', 'stop']).toContain(event.type)
          }
          const hides = event.type === 'hidden' || (event.type === 'reconnect' && event.hidden)
          if (hides && (isOpenStatus(prev) || prev.retryAt !== null)) {
            expect(s.status).toBe('paused')
          }
        }
      }),
      // Enough runs that a start, a failure with Retry-After and a visible before it always meet.
      { numRuns: 1000 },
    )
  })
})
