// `shelfsync/tokens`: signToken for a service that does not run the server, without loading the
// server's database driver (a native module, built on install).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  exports: Record<string, { default: string; types: string }>
}

/** The CommonJS modules (better-sqlite3 is one) that importing `source` loads. */
const loadedBy = (source: string): string[] => {
  const script = [
    "import { createRequire } from 'node:module'",
    `const tokens = await import(${JSON.stringify(source)})`,
    "if (typeof tokens.signToken !== 'function') throw new Error('no signToken')",
    'console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)))',
  ].join('\n')
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
  expect(run.stderr).toBe('')
  return JSON.parse(run.stdout) as string[]
}

describe('shelfsync/tokens', () => {
  it('maps to the built token module', () => {
    const entry = pkg.exports['./tokens']
    expect(entry?.default).toBe('./dist/lib/server/auth/tokens.js')
    expect(entry?.types).toBe('./dist/lib/server/auth/tokens.d.ts')
    // The library build compiles src/server (rootDir src) into dist/lib, declarations included.
    const build = JSON.parse(readFileSync(`${root}tsconfig.build.json`, 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string; declaration: boolean }
      include: string[]
    }
    expect(build.compilerOptions).toMatchObject({
      outDir: 'dist/lib',
      rootDir: 'src',
      declaration: true,
    })
    expect(build.include).toContain('src/server')
    expect(existsSync(`${root}src/server/auth/tokens.ts`)).toBe(true)
  })

  it('signs tokens without loading better-sqlite3, which shelfsync/server loads', () => {
    const heavy = (file: string) => file.includes('/node_modules/better-sqlite3/')
    expect(loadedBy('./src/server/auth/tokens.ts').filter(heavy)).toEqual([])
    expect(loadedBy('./src/server/index.ts').some(heavy)).toBe(true)
  })
})
