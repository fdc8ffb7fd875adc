// `shelfsync/tokens`: signToken for a service that does not run the server, without loading the
// server's database driver (a native module, built on install).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { signToken, verifyToken } from '../../src/server/auth/tokens.js'
import { createShelfsync } from '../../src/server/index.js'

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

describe('signToken and verifyToken, as a host app calls them', () => {
  const SECRET = 'host-app-secret-0123456789'
  const DAY = 86_400_000

  it('judges expiry against now when no time is given', () => {
    const old = signToken(SECRET, { user: 'alice', now: Date.now() - DAY, ttlMs: 1000 })
    expect(() => verifyToken(SECRET, old)).toThrow('The session has expired')
    const fresh = signToken(SECRET, { user: 'alice', ttlMs: 60_000 })
    expect(verifyToken(SECRET, fresh).user).toBe('alice')
  })

  it('refuses a secret the server would refuse, in one sentence, for both', () => {
    const token = signToken(SECRET, { user: 'alice' })
    for (const secret of [undefined, '', 'short-secret', 42]) {
      const bad = secret as unknown as string
      expect(() => signToken(bad, { user: 'alice' })).toThrow(
        /^signToken: the secret must be a string of at least 16 characters/,
      )
      expect(() => verifyToken(bad, token)).toThrow(/^verifyToken: the secret must be a string/)
    }
    expect(() => createShelfsync({ db: ':memory:', secret: 'short-secret' })).toThrow(
      'createShelfsync: the secret must be a string of at least 16 characters',
    )
    // The server signs demo sessions for tokenTtlMs: one that signs none is refused when made.
    for (const tokenTtlMs of [0, -1, Number.NaN]) {
      expect(() => createShelfsync({ db: ':memory:', tokenTtlMs })).toThrow(
        'createShelfsync: tokenTtlMs must be a number of ms above 0',
      )
    }
  })

  it('refuses a call with no user, a name the server would refuse, or a bad time', () => {
    const sign = (input: unknown) => () => signToken(SECRET, input as { user: string })
    expect(sign('alice')).toThrow('signToken: pass { user }')
    expect(sign({})).toThrow('signToken: pass { user }, where user is 1 to 64 characters')
    expect(sign({ user: 'al ice' })).toThrow('got "al ice"')
    expect(sign({ user: 'alice', ttlMs: -1 })).toThrow('ttlMs must be a number of ms above 0')
    expect(sign({ user: 'alice', ttlMs: '60000' })).toThrow('got "60000"')
    expect(sign({ user: 'alice', now: Number.NaN })).toThrow('now must be a time in ms')
  })

  it('calls anything but a string token not valid', () => {
    expect(() => verifyToken(SECRET, undefined as unknown as string)).toThrow(
      'The token is not valid.',
    )
  })
})
