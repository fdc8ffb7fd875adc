// Builds the server and the app (`npm run build`) when dist is missing or older than the sources.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const newest = (path) => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = 0
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

export const buildIfNeeded = (root) => {
  const server = join(root, 'dist/lib/server/main.js')
  const app = join(root, 'dist/app/index.html')
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'index.html')))
  const fresh =
    existsSync(server) &&
    existsSync(app) &&
    statSync(server).mtimeMs >= sources &&
    statSync(app).mtimeMs >= sources
  if (fresh) return
  console.log('e2e: building (npm run build)…')
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`npm run build failed with status ${result.status}`)
}
