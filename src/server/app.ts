// createShelfsync: the database, the writer, the fan-out and the Hono app, wired once.
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { PATHS } from '../actions/index.js'
import { signToken } from './auth/tokens.js'
import { resolveSecret } from './auth/secret.js'
import { type Clock, systemClock } from './clock.js'
import { releaseLapsed } from './commands/expiry.js'
import { createWriter } from './commands/writer.js'
import { createCompactor } from './compaction.js'
import { DEFAULT_CONFIG, type ServerConfig } from './config.js'
import { openDb } from './db/open.js'
import { createRows } from './db/rows.js'
import { seedDemo } from './demo.js'
import { ShelfsyncError } from './errors.js'
import { createExpiryTimer } from './expiry-timer.js'
import { createCommandRunner } from './http/commands.js'
import type { AppEnv } from './http/env.js'
import { identify } from './http/identity.js'
import { notFound, onError } from './http/problems.js'
import { limitWrites, type RateLimit } from './http/rate-limit.js'
import { securityHeaders } from './http/security-headers.js'
import { cartRoutes } from './routes/cart.js'
import { catalogRoutes } from './routes/catalog.js'
import type { RouteDeps } from './routes/deps.js'
import { eventsRoute } from './routes/events.js'
import { orderRoutes } from './routes/orders.js'
import { healthRoute, snapshotRoute } from './routes/reads.js'
import { sessionRoutes } from './routes/session.js'
import { createMetrics } from './metrics.js'
import { metricsRoute } from './routes/metrics.js'
import { createSnapshotReader } from './snapshot.js'
import { createLocalFanout } from './stream/local-fanout.js'
import type { StreamBounds } from './stream/open-stream.js'
import { createStreamRegistry, type StreamLimits } from './stream/registry.js'

export interface ShelfsyncLimits {
  /** Largest request body, in bytes (413 beyond). */
  maxBodyBytes: number
  maxCartLines: number
  maxHeldUnits: number
  streams: StreamLimits
  stream: StreamBounds
  /** How long Idempotency-Key answers are kept. */
  idempotencyKeyTtlMs: number
  /** Writes per user (429 limit/rate beyond). */
  rate: RateLimit
}

export const DEFAULT_LIMITS: ShelfsyncLimits = {
  maxBodyBytes: 16 * 1024,
  maxCartLines: 50,
  maxHeldUnits: 200,
  streams: { perUser: 8, total: 20_000 },
  stream: { maxQueuedBytes: 1024 * 1024, softQueuedBytes: 64 * 1024 },
  idempotencyKeyTtlMs: 24 * 3_600_000,
  rate: { perSecond: 20, burst: 60 },
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
  /** Ends the streams with a retry hint, stops the timers and closes the database. */
  close(): Promise<void>
}

/**
 * Builds a Shelfsync server.
 * @example
 * const shop = createShelfsync({ db: ':memory:', demo: false, secret: process.env.SHELFSYNC_SECRET })
 * serve({ fetch: shop.app.fetch, port: 8787 })
 */
export const createShelfsync = (options: ShelfsyncOptions = {}): Shelfsync => {
  const { clock = systemClock, limits: givenLimits, corsOrigins = [], log = console.error } = options
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...stripUndefined(options) }
  const limits: ShelfsyncLimits = { ...DEFAULT_LIMITS, ...givenLimits }
  const { db, epoch, created } = openDb(config.db)
  const rows = createRows(db)
  const secret = resolveSecret(db, config.secret)
  const fanout = createLocalFanout({ epoch, log: rows.log, pageSize: config.catchUpPageSize })
  const metrics = createMetrics()
  let closing = false
  const expiry = createExpiryTimer({ rows, clock, sweep: () => writer.run(() => {}) })
  const writer = createWriter({
    db,
    rows,
    clock,
    before: (tx) => {
      if (closing) throw new ShelfsyncError('server/unavailable', 'The server is shutting down.', {}, { 'Retry-After': '2' })
      releaseLapsed(tx)
    },
    publish: (commit) => {
      const started = performance.now()
      fanout.publish(commit)
      metrics.committed(commit, (performance.now() - started) / 1000)
    },
    after: () => expiry.schedule(),
    retain: config.logRetain,
    compact: createCompactor(db, rows),
  })
  const commands = createCommandRunner({ db, writer, keyTtlMs: limits.idempotencyKeyTtlMs })
  const streams = createStreamRegistry({ heartbeatMs: config.heartbeatMs, limits: limits.streams })

  if (created && config.demo) seedDemo(writer)
  writer.run(() => {}) // releases what lapsed while the server was down
  commands.dropExpiredKeys(clock.now())
  const keyCleanup = setInterval(() => commands.dropExpiredKeys(clock.now()), 3_600_000)
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
    signSession: (user) => sign(user),
    cartLimits: {
      holdTtlMs: config.holdTtlMs,
      maxCartLines: limits.maxCartLines,
      maxHeldUnits: limits.maxHeldUnits,
    },
  }

  const app = new Hono<AppEnv>()
  app.onError(onError(log))
  app.notFound(notFound)
  app.use('*', securityHeaders)
  if (corsOrigins.length > 0) {
    app.use('/api/*', cors({ origin: [...corsOrigins], credentials: true }))
  }
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: () => {
        throw new ShelfsyncError('request/too-large', `The body may be at most ${limits.maxBodyBytes} bytes.`, {
          limit: limits.maxBodyBytes,
        })
      },
    }),
  )
  app.route('/', healthRoute(deps))
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
  if (config.demo) app.route('/', sessionRoutes(deps))
  app.use('/api/*', async (c, next) => {
    if (c.req.path === PATHS.health || (config.demo && c.req.path === PATHS.session)) return next()
    return identify({ secret, admins: config.admins, clock, allowedOrigins: corsOrigins })(c, next)
  })
  app.use('/api/*', limitWrites(limits.rate, clock))
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
    async close() {
      if (closing) return
      closing = true
      expiry.stop()
      clearInterval(keyCleanup)
      streams.endAll('shutdown')
      streams.stop()
      db.close()
    },
  }
}

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
