// Builds what is missing or older than its sources: the library (`dist/lib`, tsc) and, when asked,
// the app (`dist/app`, vite). Used by `npm start` and by the benchmarks, which measure the code as
// shipped rather than the TypeScript sources through a loader.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const newest = (dir) => {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

const olderThan = (file, sourcesMs) => !existsSync(file) || statSync(file).mtimeMs < sourcesMs

const run = (what, command, args, cwd) => {
  console.log(`Building ${what} (${[command, ...args].join(' ')})…`)
  const result = spawnSync(command, args, {
    cwd,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  })
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed with exit code ${result.status}`)
  }
}

/** `app: true` also builds the React app that `npm start` serves; `root` defaults to the cwd. */
export const ensureBuilt = ({ app, root = '.' }) => {
  const at = (path) => join(root, path)
  const sourcesMs = newest(at('src'))
  const appStale =
    app &&
    olderThan(at('dist/app/index.html'), Math.max(sourcesMs, statSync(at('index.html')).mtimeMs))
  if (appStale) return run('the server and the app', 'npm', ['run', '-s', 'build'], root)
  if (olderThan(at('dist/lib/server/main.js'), sourcesMs)) {
    run('the library', 'npx', ['tsc', '-p', 'tsconfig.build.json'], root)
  }
}
