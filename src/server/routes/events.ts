// GET /api/events: the live stream. A `retry:` hint first, then either the commits after the
// client's position or a snapshot event (with its reason), then every new commit it may see.
import { Hono } from 'hono'
import {
  AFTER_PARAM,
  EVENT_STREAM_CONTENT_TYPE,
  HEADERS,
  PATHS,
  parsePosition,
  type SnapshotReason,
} from '../../actions/index.js'
import type { AppEnv } from '../http/env.js'
import type { Fanout } from '../stream/fanout.js'
import { retryFrame, snapshotFrame } from '../stream/frames.js'
import { forgetParsedHeaders, releaseSentHead } from '../stream/idle-memory.js'
import { type OpenStream, openStream } from '../stream/open-stream.js'
import { nodeSink, type Sink, webSink } from '../stream/sinks.js'
import type { RouteDeps } from './deps.js'

export type StreamStart =
  /** `behind`: how many commits the log holds past `after`. */
  { kind: 'resume'; after: number; behind: number } | { kind: 'snapshot'; reason: SnapshotReason }

/** Where a stream starts for the position a client names (protocol §stream 2). */
export const chooseStart = (
  requested: string | undefined,
  epoch: string,
  log: Pick<Fanout, 'head' | 'tail'>,
): StreamStart => {
  if (requested === undefined || requested === '') return { kind: 'snapshot', reason: 'initial' }
  const position = parsePosition(requested)
  if (!position) return { kind: 'snapshot', reason: 'malformed' }
  if (position.epoch !== epoch) return { kind: 'snapshot', reason: 'unknown-epoch' }
  const head = log.head()
  if (position.seq > head) return { kind: 'snapshot', reason: 'ahead' }
  const tail = log.tail()
  if (position.seq < head && tail !== null && position.seq < tail - 1) {
    return { kind: 'snapshot', reason: 'expired' }
  }
  return { kind: 'resume', after: position.seq, behind: head - position.seq }
}

/**
 * A resume this close to the head is not counted as a full read: the local fan-out keeps the
 * frames of as many latest commits serialized (its RECENT_FRAMES).
 */
export const FREE_RESUME_COMMITS = 32

const STREAM_HEADERS = {
  'Content-Type': EVENT_STREAM_CONTENT_TYPE,
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
}

/**
 * The stream's headers over those already set (names compared without case, as HTTP does), and
 * `Vary: Origin` with CORS on, which Hono's cors adds only once the route has answered.
 */
const streamHead = (set: Headers, cors: boolean): Record<string, string> => {
  const head = new Headers(set)
  for (const [name, value] of Object.entries(STREAM_HEADERS)) head.set(name, value)
  if (cors) head.append('Vary', 'Origin')
  return Object.fromEntries(head)
}

// Tells @hono/node-server that the route wrote the response itself.
const alreadySent = () => new Response(null, { headers: { 'x-hono-already-sent': 'true' } })

export const eventsRoute = (deps: RouteDeps) => {
  const { min, max } = deps.config.retryMs
  const retryMs = () => min + Math.floor(Math.random() * (max - min))
  // Shared by every stream: nothing per stream but the stream itself stays behind.
  const streamEnded = (stream: OpenStream, reason: string) => {
    deps.fanout.unsubscribe(stream)
    deps.streams.remove(stream, reason)
  }

  return new Hono<AppEnv>().get(PATHS.events, (c) => {
    // Hono answers HEAD with the GET handler and drops the body unread: a stream opened here
    // would never be cancelled and would keep its slot. Headers only.
    if (c.req.method === 'HEAD') return c.body(null, 200, STREAM_HEADERS)
    const identity = c.get('identity')
    deps.streams.admit(identity.user)
    // Last-Event-ID wins over ?after= whenever it is sent, empty included (no position).
    const requested = c.req.header(HEADERS.lastEventId) ?? c.req.query(AFTER_PARAM)
    // From here to subscribe() nothing awaits: the start, the snapshot and the live set agree.
    const start = chooseStart(requested, deps.epoch, deps.fanout)
    // A snapshot, or a replay of more than the latest commits, is a full read. A resume within
    // them (a tab shown again, a dropped connection) is sent from frames kept serialized, at about
    // the cost of a heartbeat, and a browser switching tabs makes many.
    if (start.kind === 'snapshot' || start.behind > FREE_RESUME_COMMITS) {
      deps.admitRead(identity.user)
    }
    const outgoing = c.env?.outgoing
    let sink: Sink
    let body: ReadableStream<Uint8Array> | undefined
    // The node sink writes the head itself, so it carries what the middleware set before this
    // route (CORS) by hand; through `c.body` Hono adds them.
    if (outgoing) sink = nodeSink(outgoing, streamHead(c.res.headers, deps.cors))
    else ({ sink, body } = webSink(c.req.raw.signal))

    sink.write(retryFrame(retryMs()))
    if (outgoing) releaseSentHead(outgoing) // the head went out with that first write
    let after: number
    if (start.kind === 'snapshot') {
      const snapshot = deps.readSnapshot(identity.user)
      sink.write(snapshotFrame(deps.epoch, { ...snapshot, reason: start.reason }))
      after = snapshot.seq
    } else {
      after = start.after
    }
    const stream = openStream({
      user: identity.user,
      sink,
      bounds: deps.streamBounds,
      expiresAt: identity.expiresAt,
      retryMs,
      onEnd: streamEnded,
    })
    deps.streams.add(stream)
    deps.fanout.subscribe(stream, after)
    if (outgoing) forgetParsedHeaders(c.req.raw)
    return body ? c.body(body, 200, STREAM_HEADERS) : alreadySent()
  })
}
