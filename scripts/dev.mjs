// `npm run dev`: the API server with reload (tsx watch) and Vite with hot reload, which proxies
// /api to the server. Prints two URLs: the app's (Vite's, the one to open) and the API's.
import { spawn } from 'node:child_process'
import { tsImport } from 'tsx/esm/api'
import { createServer } from 'vite'

const port = process.env.PORT ?? '8787'
const api = spawn(process.execPath, ['--import', 'tsx', '--watch', 'src/server/main.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, PORT: port, SHELFSYNC_DEV: '1', SHELFSYNC_APP_DIR: 'no-static-in-dev' },
})
// Keep the server's warnings (demo mode) but not its own URL: the app's URL is the one to open.
api.stdout.on('data', (chunk) => {
  for (const line of String(chunk).split('\n')) {
    if (line && !line.startsWith('Shelfsync listening')) console.log(`[api] ${line}`)
  }
})

const vite = await createServer({ server: { port: Number(process.env.VITE_PORT ?? 5173) } })
await vite.listen()
const url = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/'
// Demo mode as the server decides it, so the demo page is offered only when it can sign in. A bad
// setting offers nothing: the server names it as it fails to start.
const demo = await tsImport('../src/server/config.ts', import.meta.url)
  .then(({ configFromEnv }) => configFromEnv({ ...process.env, PORT: port }).demo)
  .catch(() => null)
let demoPage = ''
if (demo === true) demoPage = `   (demo: ${url}#/demo)`
if (demo === false) demoPage = '   (demo page off: SHELFSYNC_DEMO=1 turns it on)'
console.log(`\nShelfsync dev: ${url}${demoPage}\n`)

const stop = () => {
  api.kill('SIGTERM')
  void vite.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
