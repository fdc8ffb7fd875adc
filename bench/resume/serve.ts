// The resume bench's server, in a child process of its own (as a real server would be): Shelfsync
// on the bench's SQLite file, demo off, served by @hono/node-server on 127.0.0.1. Tells the parent
// its port over IPC, and closes on SIGTERM or when the parent goes away.
import { serve } from '@hono/node-server'
import type * as ServerModule from '../../src/server/index.js'
import { importBuilt } from '../lib/built.js'

const { createShelfsync } = await importBuilt<typeof ServerModule>('server/index.js')

const db = process.env.BENCH_DB
const secret = process.env.BENCH_SECRET
const retain = Number(process.env.BENCH_LOG_RETAIN)
if (!db || !secret || !Number.isSafeInteger(retain)) {
  throw new Error('BENCH_DB, BENCH_SECRET and BENCH_LOG_RETAIN are set by bench/resume.')
}

// Every commit the bench writes must stay in the log, or the client would get a snapshot instead.
const shop = createShelfsync({ db, demo: false, secret, logRetain: retain })
const server = serve({ fetch: shop.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  process.send?.({ type: 'ready', port: info.port, epoch: shop.epoch }),
)

const stop = async (): Promise<void> => {
  await shop.close({ graceMs: 1_000 })
  server.close()
  process.exit(0)
}
process.once('SIGTERM', () => void stop())
process.once('disconnect', () => void stop())
