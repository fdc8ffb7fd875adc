// `npm start`: builds the server and the app when they are missing or older than the sources,
// then runs the server. One command on a fresh clone after `npm ci`.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureBuilt } from './ensure-built.mjs'

try {
  ensureBuilt({ app: true })
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
await import(pathToFileURL(resolve('dist/lib/server/main.js')).href)
