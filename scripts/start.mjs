// `npm start`: builds the server and the app when they are missing or older than the sources,
// then runs the server. One command on a fresh clone after `npm install`.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const newest = (dir) => {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

const built = 'dist/lib/server/main.js'
const stale =
  !existsSync(built) ||
  !existsSync('dist/app/index.html') ||
  newest('src') > statSync(built).mtimeMs ||
  statSync('index.html').mtimeMs > statSync(built).mtimeMs
if (stale) {
  console.log('Building the server and the app (npm run build)…')
  const result = spawnSync('npm', ['run', '-s', 'build'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
await import(pathToFileURL(resolve(built)).href)
