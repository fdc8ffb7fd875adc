// Shelfsync as deployed: createShelfsync on a SQLite file (demo off, a known secret so that the
// bench can sign tokens) served by @hono/node-server on 127.0.0.1.
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import type * as ServerModule from '../../../src/server/index.js'
import { importBuilt } from '../../lib/built.js'
import { runControl } from './control.js'

const { createShelfsync } = await importBuilt<typeof ServerModule>('server/index.js')

const db = process.env.BENCH_DB
const secret = process.env.BENCH_SECRET
if (!db || !secret) throw new Error('BENCH_DB and BENCH_SECRET must be set by the fan-out bench.')

// The writer stands for many users' changes: the per-user write limit would cap it, not fan-out.
const shop = createShelfsync({
  db,
  demo: false,
  secret,
  admins: ['admin'],
  limits: { rate: { perSecond: 1_000_000, burst: 1_000_000 } },
})
const server = serve({ fetch: shop.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
  runControl(server as Server, { epoch: shop.epoch }, () => shop.close()),
)
