// A Shelfsync server in its own process, configured by the environment like `npm start`, that
// prints `listening <port>` when ready. Tests kill it (SIGKILL) and start it again.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { configFromEnv, createShelfsync } from '../../src/server/index.js'

const config = configFromEnv()
const shop = createShelfsync({ ...config, limits: { rate: { perSecond: 1e9, burst: 1e9 } } })
const server = serve({ fetch: shop.app.fetch, port: config.port, hostname: '127.0.0.1' }, () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => {
  void shop.close().then(() => server.close(() => process.exit(0)))
})
