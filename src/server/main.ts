// `npm start`: the server from the environment's settings, serving the built app and the API
// from one origin. Demo mode says so loudly. SIGINT/SIGTERM end the streams and close the database.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { createShelfsync } from './app.js'
import { configFromEnv } from './config.js'
import { serveApp } from './serve-app.js'

const config = configFromEnv()
const shop = createShelfsync(config)

const appRoot = resolve(process.env.SHELFSYNC_APP_DIR ?? 'dist/app')
if (existsSync(appRoot)) serveApp(shop.app, appRoot)

const server = serve(
  { fetch: shop.app.fetch, port: config.port, hostname: config.host },
  (info) => {
    const host = info.address.includes(':') ? `[${info.address}]` : info.address
    const url = `http://${host}:${info.port}`
    console.log(`Shelfsync listening on ${url}  (database ${config.db}, epoch ${shop.epoch})`)
    if (process.env.SHELFSYNC_DEV) console.log(`API ready on ${url} (Vite proxies /api to it)`)
    // The demo page signs in through POST /api/session, which answers only in demo mode.
    const demoPage = config.demo ? `   Demo (two customers + inventory): ${url}/#/demo` : ''
    if (existsSync(appRoot)) console.log(`Shop app: ${url}/${demoPage}`)
    if (config.demo) {
      console.log(
        'DEMO MODE IS ON: anyone who can reach this port can sign in as any user, admin included.\n' +
          '  Turn it off with SHELFSYNC_DEMO=0 and have your app sign tokens (see README, "Identity").',
      )
    }
  },
)

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
