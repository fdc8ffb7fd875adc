// Runs the stock mirror as a service: `npx tsx examples/stock-mirror/main.ts`.
//   SHELFSYNC_URL    the shop, default http://127.0.0.1:8787
//   SHELFSYNC_TOKEN  a token for the mirror's user, signed by the host application
//   MIRROR_DB        the mirror's SQLite file, default ./stock-mirror.db
import { createStockMirror } from './mirror.js'

const token = process.env.SHELFSYNC_TOKEN
if (!token) {
  console.error('stock mirror: set SHELFSYNC_TOKEN to a token the shop accepts.')
  process.exit(1)
}

const mirror = createStockMirror({
  baseUrl: process.env.SHELFSYNC_URL ?? 'http://127.0.0.1:8787',
  token,
  file: process.env.MIRROR_DB ?? './stock-mirror.db',
  onStatus: (info) => {
    const why = info.lastError ? ` (${info.lastError.code}: ${info.lastError.message})` : ''
    console.log(`stock mirror: ${info.status}${why}`)
    if (info.status === 'unauthorized') process.exitCode = 1
  },
})
mirror.start()

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    const at = mirror.position()
    mirror.close()
    console.log(`stock mirror: stopped at ${at ?? 'no position'}`)
  })
}
