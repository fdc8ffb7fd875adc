// A Shelfsync server in its own process for the tests that kill and restart one: `npm start`'s
// settings from the environment, plus two for tests:
// - SHELFSYNC_TEST_RETRY_MS=<min>,<max> narrows the `retry:` spread (the protocol's 1–5 s would
//   make every reconnection in a long fault sequence wait seconds);
// - SHELFSYNC_TEST_STANDBY=1 loads everything, prints `standby`, and waits for one line on stdin:
//   a JSON object of more environment variables (the database, the port, …). Only then does it
//   open the database and listen, so a start or restart costs milliseconds, not a cold start.
// Prints `listening <port>` when ready; SIGTERM closes it gracefully, SIGKILL does not.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { configFromEnv, createShelfsync } from '../../src/server/index.js'
import { NO_RATE_LIMITS } from './no-rate-limits.js'

const retryOf = (raw: string | undefined) => {
  if (raw === undefined || raw === '') return undefined
  const [min = Number.NaN, max = Number.NaN] = raw.split(',').map(Number)
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || !(min < max)) {
    throw new Error(`SHELFSYNC_TEST_RETRY_MS must be "<min>,<max>", got ${JSON.stringify(raw)}`)
  }
  return { min, max }
}

const run = () => {
  const config = configFromEnv()
  const retryMs = retryOf(process.env.SHELFSYNC_TEST_RETRY_MS)
  const shop = createShelfsync({
    ...config,
    ...(retryMs ? { retryMs } : {}),
    limits: NO_RATE_LIMITS,
  })
  const server = serve({ fetch: shop.app.fetch, port: config.port, hostname: '127.0.0.1' }, () => {
    console.log(`listening ${(server.address() as AddressInfo).port}`)
  })
  // As src/server/main.ts: the streams end and the commands in flight finish, then the process
  // exits within 3 s even if a connection stays open (a proxy's, holding a request it never ended).
  process.on('SIGTERM', () => {
    void shop.close().then(() => {
      server.close(() => process.exit(0))
      setTimeout(() => process.exit(0), 3000).unref()
    })
  })
}

if (process.env.SHELFSYNC_TEST_STANDBY === '1') {
  let line = ''
  const onData = (chunk: Buffer) => {
    line += chunk.toString('utf8')
    const end = line.indexOf('\n')
    if (end < 0) return
    process.stdin.off('data', onData)
    Object.assign(process.env, JSON.parse(line.slice(0, end)) as Record<string, string>)
    run()
  }
  process.stdin.on('data', onData)
  // stdin stays open while the test process lives: when it closes, nobody will stop this one.
  process.stdin.once('end', () => process.exit(0))
  console.log('standby')
} else run()
