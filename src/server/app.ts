// createShelfsync: the database, the writer, the fan-out and the Hono app, wired once.
import { Hono, type MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { HEADERS, PATHS } from '../actions/index.js'
import { resolveSecret } from './auth/secret.js'
import { checkSecret, signToken } from './auth/tokens.js'
import { type Clock, systemClock } from './clock.js'
import { nextExpiry, releaseLapsed } from './commands/expiry.js'
import { createWriter, type Writer } from './commands/writer.js'
import { createCompactor } from './compaction.js'
import { DEFAULT_CONFIG, type ServerConfig } from './config.js'
import { openDb } from './db/open.js'
import { createRows } from './db/rows.js'
import { seedDemo } from './demo.js'
import { ShelfsyncError } from './errors.js'
import { createExpiryTimer } from './expiry-timer.js'
import { createCommandRunner, SWEEP_BATCH } from './http/commands.js'
import type { AppEnv } from './http/env.js'
import { identify } from './http/identity.js'
import { notFound, onError } from './http/problems.js'
import { checkRateLimit, createReadLimit, limitWrites, type RateLimit } from './http/rate-limit.js'
import { readBody, refuseDeclaredTooLarge } from './http/request-body.js'
import { securityHeaders } from './http/security-headers.js'
import { createMetrics } from './metrics.js'
import { cartRoutes } from './routes/cart.js'
import { catalogRoutes } from './routes/catalog.js'
import type { RouteDeps } from './routes/deps.js'
import { eventsRoute } from './routes/events.js'
import { metricsRoute } from './routes/metrics.js'
import { orderRoutes } from './routes/orders.js'
import { healthRoute, snapshotRoute } from './routes/reads.js'
import { sessionRoutes } from './routes/session.js'
import { createSnapshotReader } from './snapshot.js'
import type { Fanout, FanoutInput } from './stream/fanout.js'
import { createLocalFanout } from './stream/local-fanout.js'
import type { StreamBounds } from './stream/open-stream.js'
import { createStreamRegistry, type StreamLimits } from './stream/registry.js'

export interface ShelfsyncLimits {
  /** Largest request body, in bytes (413 beyond). */
  maxBodyBytes: number
  /** How long a request body may take to arrive, in ms (408 beyond). */
  bodyTimeoutMs: number
  maxCartLines: number
  maxHeldUnits: number
  streams: StreamLimits
  stream: StreamBounds
  /** How long Idempotency-Key answers are kept. */
  idempotencyKeyTtlMs: number
  /** The most Idempotency-Key answers kept, the oldest dropped first. */
  idempotencyKeysMax: number
  /** Writes per user (429 limit/rate beyond). */
  rate: RateLimit
  /**
   * Full reads per user (429 limit/rate beyond): snapshots, and streams opened with a snapshot or
   * more than the latest commits (`FREE_RESUME_COMMITS`) to replay.
   */
  reads: RateLimit
}

export const DEFAULT_LIMITS: ShelfsyncLimits = {
  maxBodyBytes: 16 * 1024,
  bodyTimeoutMs: 10_000,
  maxCartLines: 50,
  maxHeldUnits: 200,
  streams: { perUser: 8, total: 20_000 },
  stream: { maxQueuedBytes: 1024 * 1024, softQueuedBytes: 64 * 1024 },
  idempotencyKeyTtlMs: 24 * 3_600_000,
  idempotencyKeysMax: 1_000_000,
  rate: { perSecond: 20, burst: 60 },
  // Room for every tab of a user to reload at once, and then some; a client that reconnects with
  // backoff (the SDK's: 1 s, doubling) never meets it.
  reads: { perSecond: 0.5, burst: 30 },
}

export interface ShelfsyncOptions extends Partial<ServerConfig> {
  clock?: Clock
  limits?: Partial<ShelfsyncLimits>
  /** Origins allowed to call the API from another site (CORS with credentials). Off when empty. */
  corsOrigins?: readonly string[]
  /** Serve `GET /metrics` to any address (default: loopback only). */
  metricsPublic?: boolean
  /** Where unexpected errors are reported. */
  log?: (message: string, error?: unknown) => void
  /**
   * Makes the fan-out that streams are served from (default `createLocalFanout`, in-process, on
   * the commit log). The seam for stream servers fed by a distributed log: docs/scaling.md.
   */
  fanout?: (input: FanoutInput) => Fanout
}

export interface Shelfsync {
  app: Hono<AppEnv>
  epoch: string
  config: ServerConfig
  /** Signs a token for `user` with this server's secret (what a host app hands its users). */
  signToken(user: string, ttlMs?: number): string
  /** Releases lapsed holds and orders now (the timer does this by itself). */
  releaseLapsed(): void
  /** Open streams. */
  readonly streamCount: number
  /**
   * Shuts down: new requests get 503 `server/unavailable` at once; requests already in flight
   * finish (for at most `graceMs`, default 10 s); then the streams end with a retry hint, the
   * timers stop and the database closes. Calling it again returns the same promise.
   */
  close(options?: { graceMs?: number }): Promise<void>
}

/**
 * Builds a Shelfsync server.
 * @example
 * // Demo mode (open sign-in, a demo catalog) is off unless `demo: true`.
 * const shop = createShelfsync({ db: './data/shop.db', secret: process.env.SHELFSYNC_SECRET })
 * serve({ fetch: shop.app.fetch, port: 8787 })
 */
export const createShelfsync = (options: ShelfsyncOptions = {}): Shelfsync => {
  const {
    clock = systemClock,
    limits: givenLimits,
    corsOrigins = [],
    log = console.error,
  } = options
  for (const origin of corsOrigins) checkCorsOrigin(origin)
  if (options.secret !== undefined) checkSecret('createShelfsync', options.secret)
  const { tokenTtlMs } = options
  if (tokenTtlMs !== undefined && !(Number.isFinite(tokenTtlMs) && tokenTtlMs > 0)) {
    throw new TypeError(
      `createShelfsync: tokenTtlMs must be a number of ms above 0, got ${JSON.stringify(tokenTtlMs)}.`,
    )
  }
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...stripUndefined(options) }
  const limits: ShelfsyncLimits = { ...DEFAULT_LIMITS, ...stripUndefined(givenLimits ?? {}) }
  checkLimits(limits)
  const body = { maxBytes: limits.maxBodyBytes, timeoutMs: limits.bodyTimeoutMs }
  const { db, epoch, created } = openDb(config.db, { newEpoch: config.newEpoch })
  const rows = createRows(db)
  const secret = resolveSecret(db, config.secret, config.demo)
  const fanout = (options.fanout ?? createLocalFanout)({
    epoch,
    log: rows.log,
    pageSize: config.catchUpPageSize,
  })
  const metrics = createMetrics()
  // Shutdown: open → draining (new requests refused, those in flight finish) → closed.
  let phase: 'open' | 'draining' | 'closed' = 'open'
  let inFlight = 0
  let drained: (() => void) | null = null
  let closed: Promise<void> | null = null
  const unavailable = () =>
    new ShelfsyncError(
      'server/unavailable',
      'The server is shutting down.',
      {},
      { 'Retry-After': '2' },
    )
  const expiry = createExpiryTimer({
    next: () => nextExpiry({ rows }),
    clock,
    sweep: () => writer.run(() => {}),
    log,
  })
  const unguardedWriter = createWriter({
    db,
    rows,
    clock,
    before: releaseLapsed,
    publish: (commit) => {
      const started = performance.now()
      fanout.publish(commit)
      metrics.committed(commit, (performance.now() - started) / 1000)
    },
    after: (commits) => {
      if (commits > 0) metrics.transactionCommitted()
      expiry.schedule()
    },
    retain: config.logRetain,
    compact: createCompactor(db, rows),
  })
  // A request still reading its body when the grace period ran out finds the database closed.
  const writer: Writer = {
    run(work) {
      if (phase === 'closed') throw unavailable()
      return unguardedWriter.run(work)
    },
    runGrouped(work) {
      if (phase === 'closed') return Promise.reject(unavailable())
      return unguardedWriter.runGrouped(work)
    },
    flushQueued: () => unguardedWriter.flushQueued(),
  }
  const commands = createCommandRunner({
    db,
    writer,
    keyTtlMs: limits.idempotencyKeyTtlMs,
    maxKeys: limits.idempotencyKeysMax,
    clock,
  })
  const streams = createStreamRegistry({
    heartbeatMs: config.heartbeatMs,
    limits: limits.streams,
    clock,
  })

  if (created && config.demo) seedDemo(writer)
  writer.run(() => {}) // releases what lapsed while the server was down
  while (commands.sweepKeys(clock.now()) === SWEEP_BATCH) {} // before serving: no one waits
  // Every minute, a batch at a time with other work in between.
  let sweeping = false
  const sweep = (): void => {
    try {
      if (phase === 'open' && commands.sweepKeys(clock.now()) === SWEEP_BATCH) {
        setImmediate(sweep)
        return
      }
    } catch (error) {
      log('Dropping old idempotency keys failed; trying again in a minute.', error)
    }
    sweeping = false
  }
  const keyCleanup = setInterval(() => {
    if (sweeping || phase !== 'open') return
    sweeping = true
    sweep()
  }, 60_000)
  keyCleanup.unref()

  const sign = (user: string, ttlMs = config.tokenTtlMs) =>
    signToken(secret, { user, ttlMs, now: clock.now() })

  const deps: RouteDeps = {
    config,
    epoch,
    clock,
    rows,
    commands,
    fanout,
    streams,
    streamBounds: limits.stream,
    readSnapshot: createSnapshotReader({ db, rows, epoch, clock }),
    admitRead: createReadLimit(limits.reads, clock),
    signSession: (user) => sign(user),
    cartLimits: {
      holdTtlMs: config.holdTtlMs,
      maxCartLines: limits.maxCartLines,
      maxHeldUnits: limits.maxHeldUnits,
    },
    cors: corsOrigins.length > 0,
  }

  const app = new Hono<AppEnv>()
  app.onError(onError(log))
  app.notFound(notFound)
  app.use('*', securityHeaders)
  const admitWhileOpen: MiddlewareHandler<AppEnv> = async (_c, next) => {
    if (phase !== 'open') throw unavailable()
    inFlight++
    try {
      await next()
    } finally {
      inFlight--
      if (inFlight === 0) drained?.()
    }
  }
  // CORS first, so that a browser can read the 503 and Retry-After of a server shutting down.
  if (corsOrigins.length > 0) {
    // A page on another origin reads only the headers listed here besides the basic ones.
    const exposeHeaders = [HEADERS.etag, HEADERS.idempotentReplayed, HEADERS.retryAfter]
    app.use('/api/*', cors({ origin: [...corsOrigins], credentials: true, exposeHeaders }))
  }
  app.use('/api/*', admitWhileOpen)
  app.use(PATHS.metrics, admitWhileOpen)
  // A body declared too large is refused before anything else; the bytes are read only for a
  // known caller (below), except on the session route, which has none yet.
  app.use('/api/*', refuseDeclaredTooLarge(limits.maxBodyBytes))
  if (config.demo) app.use(PATHS.session, readBody(body))
  app.route('/', healthRoute(deps))
  // Other methods on the public paths: 404 here, before auth could answer 401 for them.
  app.all(PATHS.health, (c) => notFound(c))
  app.route(
    '/',
    metricsRoute({
      metrics,
      public: options.metricsPublic ?? false,
      live: () => ({
        openStreams: streams.size,
        liveStreams: fanout.size,
        slowReadersDisconnected: streams.slowReadersEnded,
        headSeq: rows.log.head(),
      }),
    }),
  )
  // Without demo mode the session route does not exist.
  if (config.demo) app.route('/', sessionRoutes(deps))
  app.all(PATHS.session, (c) => notFound(c))
  app.use('/api/*', identify({ secret, admins: config.admins, clock, allowedOrigins: corsOrigins }))
  app.use('/api/*', limitWrites(limits.rate, clock))
  app.use('/api/*', readBody(body))
  app.use('/api/*', async (c, next) => {
    if (c.req.method === 'GET') return next()
    const started = performance.now()
    await next()
    metrics.commandTook((performance.now() - started) / 1000)
  })
  app.route('/', snapshotRoute(deps))
  app.route('/', eventsRoute(deps))
  app.route('/', catalogRoutes(deps))
  app.route('/', cartRoutes(deps))
  app.route('/', orderRoutes(deps))

  return {
    app,
    epoch,
    config,
    signToken: sign,
    releaseLapsed: () => void writer.run(() => {}),
    get streamCount() {
      return streams.size
    },
    close({ graceMs = 10_000 } = {}) {
      closed ??= (async () => {
        phase = 'draining'
        clearInterval(keyCleanup)
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, graceMs)
            drained = () => {
              clearTimeout(timer)
              resolve()
            }
          })
        }
        // A command queued for the next group when the grace period ran out commits now, while
        // the database is still open (it would otherwise fail with a 500 after the close).
        unguardedWriter.flushQueued()
        phase = 'closed'
        // The in-flight commands are in the streams before their retry hint.
        streams.endAll('shutdown')
        streams.stop()
        expiry.stop()
        db.close()
      })()
      return closed
    },
  }
}

/** An allowlisted origin is exact: never `*` (the API sends credentials) nor `null` (any sandboxed page). */
const checkCorsOrigin = (origin: string): void => {
  let url: URL | undefined
  try {
    url = new URL(origin)
  } catch {}
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
    throw new Error(
      `corsOrigins: ${JSON.stringify(origin)} is not an origin such as "https://shop.example" (no "*", "null", path or trailing slash)`,
    )
  }
}

/** Node runs a longer timeout at once (1 ms), so a deadline must stay within this. */
const MAX_TIMER_MS = 2 ** 31 - 1

const checkLimits = (limits: ShelfsyncLimits): void => {
  const counts = [
    'maxBodyBytes',
    'maxCartLines',
    'maxHeldUnits',
    'idempotencyKeyTtlMs',
    'idempotencyKeysMax',
  ] as const
  for (const name of counts) {
    const value = limits[name]
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limits.${name} must be a whole number of 1 or more, got ${value}`)
    }
  }
  checkRateLimit('rate', limits.rate)
  checkRateLimit('reads', limits.reads)
  const { bodyTimeoutMs } = limits
  if (!Number.isFinite(bodyTimeoutMs) || bodyTimeoutMs < 1 || bodyTimeoutMs > MAX_TIMER_MS) {
    throw new TypeError(
      `limits.bodyTimeoutMs must be a number of ms from 1 to ${MAX_TIMER_MS} (about 24 days), got ${bodyTimeoutMs}`,
    )
  }
}

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
