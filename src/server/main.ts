// `npm start`: the server from the environment's settings, serving the built app and the API
// from one origin. Demo mode says so loudly. SIGINT/SIGTERM end the streams and close the database.
// A failure at start that the operator can fix (a bad setting, a database file it cannot open, a
// port in use) prints one line and exits with status 1; anything else keeps its stack.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { createShelfsync, DEFAULT_LIMITS, type Shelfsync } from './app.js'
import { configFromEnv, type ListenConfig, type ServerConfig } from './config.js'
import { connectionRoom, readOpenFileLimit } from './open-files.js'
import { serveApp } from './serve-app.js'

const cannotStart = (message: string): never => {
  console.error(`shelfsync: cannot start: ${message}`)
  process.exit(1)
}

const readConfig = (): ServerConfig & ListenConfig => {
  try {
    return configFromEnv()
  } catch (error) {
    // Its errors name the variable and what it must be: the whole story, a stack adds nothing.
    return cannotStart(error instanceof Error ? error.message : String(error))
  }
}

/** SQLite's errors, and the file system's (making the database's folder: EACCES, ENOTDIR…). */
const isFileError = (error: unknown): error is Error & { code: string } => {
  const code = String((error as { code?: unknown } | null)?.code)
  return error instanceof Error && (code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code))
}

/**
 * Node's own limits on a connection, below its defaults: headers must arrive within 10 s (60 s by
 * default: a client trickling headers held a socket for a minute), a request within 30 s (the
 * body's own limit, 408 after 10 s, answers first), checked every 2 s; connections past the
 * stream limit's room are refused, and never more than the open-file limit allows. A stream is a
 * request that has arrived: these never end one.
 */
const SERVER_OPTIONS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  connectionsCheckingInterval: 2_000,
}
const ROOM = connectionRoom(
  {
    maxConnections: DEFAULT_LIMITS.streams.total + 5_000,
    streamsTotal: DEFAULT_LIMITS.streams.total,
  },
  readOpenFileLimit(),
)
if (ROOM.tooFew !== undefined) cannotStart(ROOM.tooFew)

const open = (config: ServerConfig): Shelfsync => {
  try {
    return createShelfsync({
      ...config,
      limits: { streams: { ...DEFAULT_LIMITS.streams, total: ROOM.streamsTotal } },
    })
  } catch (error) {
    if (isFileError(error)) return cannotStart(`database ${config.db}: ${error.message}`)
    throw error
  }
}

/** What to tell the operator when the port cannot be had, or `null` for an error to rethrow. */
const listenProblem = (error: NodeJS.ErrnoException, { port, host }: ListenConfig) => {
  if (error.code === 'EADDRINUSE') return `port ${port} on ${host} is in use; set PORT=...`
  if (error.code === 'EACCES') return `no permission to listen on port ${port}; set PORT=...`
  if (error.code === 'EADDRNOTAVAIL')
    return `${host} is not an address of this machine; set HOST=...`
  return null
}

const config = readConfig()
const shop = open(config)

const appRoot = resolve(process.env.SHELFSYNC_APP_DIR ?? 'dist/app')
if (existsSync(appRoot)) serveApp(shop.app, appRoot)

const onListenError = (error: NodeJS.ErrnoException) => {
  const problem = listenProblem(error, config)
  if (problem === null) throw error
  void shop.close({ graceMs: 0 }).finally(() => cannotStart(problem))
}

const server = serve(
  {
    fetch: shop.app.fetch,
    port: config.port,
    hostname: config.host,
    serverOptions: SERVER_OPTIONS,
  },
  (info) => {
    server.off('error', onListenError)
    const host = info.address.includes(':') ? `[${info.address}]` : info.address
    const url = `http://${host}:${info.port}`
    console.log(`Shelfsync listening on ${url}  (database ${config.db}, epoch ${shop.epoch})`)
    if (process.env.SHELFSYNC_DEV) console.log(`API ready on ${url} (Vite proxies /api to it)`)
    // The demo page signs in through POST /api/session, which answers only in demo mode.
    const demoPage = config.demo ? `   Demo (two customers + inventory): ${url}/#/demo` : ''
    if (existsSync(appRoot)) console.log(`Shop app: ${url}/${demoPage}`)
    if (ROOM.note !== undefined) console.log(ROOM.note)
    if (config.demo) {
      console.log(
        'DEMO MODE IS ON: anyone who can reach this port can sign in as any user, admin included.\n' +
          '  Turn it off with SHELFSYNC_DEMO=0 and have your app sign tokens (see README, "Identity").',
      )
    } else if (config.secret === undefined) {
      // Without demo mode only a host app signs tokens, and it needs the secret to do so.
      const kept = config.db === ':memory:' ? 'for this run only' : `and keeps it in ${config.db}`
      console.warn(
        'shelfsync: warning: SHELFSYNC_SECRET is not set; the server signs with a secret of its own ' +
          `${kept}, so your app cannot sign tokens for it. ` +
          'Set SHELFSYNC_SECRET (16+ characters) and sign with the same.',
      )
    }
  },
)
server.on('error', onListenError)
server.maxConnections = ROOM.maxConnections

let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  console.log(`${signal}: ending streams and closing the database`)
  void shop.close().then(() => {
    server.close(() => process.exit(0))
    setTimeout(() => process.exit(0), 3000).unref()
  })
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
