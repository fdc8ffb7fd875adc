// The commands bench's server: Shelfsync as shipped (SQLite file, synchronous = FULL) with the
// per-user write limit lifted, since the load is many requests from few simulated users.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type * as ServerModule from '../../src/server/index.js'
import { importBuilt } from '../lib/built.js'

const { createShelfsync } = await importBuilt<typeof ServerModule>('server/index.js')

const db = process.env.BENCH_DB
const secret = process.env.BENCH_SECRET
if (!db || !secret) throw new Error('BENCH_DB and BENCH_SECRET must be set by the commands bench.')
const shop = createShelfsync({
  db,
  demo: false,
  secret,
  limits: { rate: { perSecond: 1e9, burst: 1e9 }, maxHeldUnits: 1e9 },
})
const server = serve({ fetch: shop.app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => void shop.close().then(() => server.close(() => process.exit(0))))
