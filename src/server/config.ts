// Server settings: the protocol's environment variables, read and checked once at start-up.
// Bad configuration throws here, with the variable's name, rather than misbehaving later.
import { MIN_SECRET_LENGTH } from './auth/tokens.js'

export interface ServerConfig {
  /** SQLite file, or `:memory:`. */
  db: string
  /**
   * Demo mode: `POST /api/session` is open (anyone signs in as anyone, admins included) and a new
   * database gets the demo catalog. Off for `createShelfsync` unless asked for; `npm start` turns
   * it on (`SHELFSYNC_DEMO` defaults to 1, as the protocol says).
   */
  demo: boolean
  /** Take a new epoch at start (a database file restored by a plain copy). */
  newEpoch: boolean
  /** Token signing key; when absent one is made once and kept in the database. */
  secret: string | undefined
  admins: readonly string[]
  holdTtlMs: number
  heartbeatMs: number
  /** Commits kept for resuming; older positions get a snapshot with reason `expired`. */
  logRetain: number
  /** Lifetime of tokens made by `POST /api/session` and by default by `signToken`. */
  tokenTtlMs: number
  /** The `retry:` sent first on every stream is picked at random in [min, max) ms. */
  retryMs: { min: number; max: number }
  /** Commits read from the log per page when a client catches up. */
  catchUpPageSize: number
}

export interface ListenConfig {
  port: number
  host: string
}

export const DEFAULT_CONFIG: ServerConfig = {
  db: './data/shelfsync.db',
  demo: false,
  newEpoch: false,
  secret: undefined,
  admins: ['admin'],
  holdTtlMs: 15 * 60_000,
  heartbeatMs: 15_000,
  logRetain: 100_000,
  tokenTtlMs: 12 * 60 * 60_000,
  retryMs: { min: 1_000, max: 5_000 },
  catchUpPageSize: 500,
}

type Env = Record<string, string | undefined>

const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    )
  }
  return value
}

const flag = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true
  if (['0', 'false', 'off', 'no'].includes(raw)) return false
  throw new Error(`${name} must be 1 or 0, got ${JSON.stringify(raw)}`)
}

/** Reads the protocol's settings from the environment (see the protocol's "Settings"). */
export const configFromEnv = (env: Env = process.env): ServerConfig & ListenConfig => {
  const secret = env.SHELFSYNC_SECRET || undefined
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`SHELFSYNC_SECRET must be at least ${MIN_SECRET_LENGTH} characters`)
  }
  const admins = (env.SHELFSYNC_ADMINS ?? 'admin')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  return {
    ...DEFAULT_CONFIG,
    port: integer(env, 'PORT', 8787, 0, 65_535),
    host: env.HOST || '127.0.0.1',
    db: env.SHELFSYNC_DB || DEFAULT_CONFIG.db,
    demo: flag(env, 'SHELFSYNC_DEMO', true),
    newEpoch: flag(env, 'SHELFSYNC_NEW_EPOCH', false),
    secret,
    admins,
    holdTtlMs: integer(env, 'SHELFSYNC_HOLD_TTL_MS', DEFAULT_CONFIG.holdTtlMs, 1_000, 2 ** 31),
    heartbeatMs: integer(env, 'SHELFSYNC_HEARTBEAT_MS', DEFAULT_CONFIG.heartbeatMs, 10, 3_600_000),
    logRetain: integer(env, 'SHELFSYNC_LOG_RETAIN', DEFAULT_CONFIG.logRetain, 1, 2 ** 40),
  }
}
