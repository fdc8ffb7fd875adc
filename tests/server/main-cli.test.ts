// `npm start`'s entry (src/server/main.ts) in its own process: a failure at start that the
// operator can fix is one plain line and exit status 1, a server without demo mode or a secret of
// its own says that a host app cannot sign its tokens, and connections stay under the open-file
// limit.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { waitUntil } from '../support/wait-until.js'

const entry = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url))
const SECRET = 'main-cli-test-secret-of-16+-chars'

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
}

/** Runs the entry with `env`, and under an open-file limit of `openFiles` when given. */
const start = (env: Record<string, string>, openFiles?: number): Run => {
  const node = [process.execPath, '--import', 'tsx', entry]
  const [command, args] =
    openFiles === undefined
      ? [process.execPath, node.slice(1)]
      : ['/bin/bash', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, ...node]]
  const child = spawn(command as string, args as string[], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      SHELFSYNC_DB: ':memory:',
      SHELFSYNC_DEMO: '0',
      SHELFSYNC_SECRET: SECRET,
      SHELFSYNC_APP_DIR: fileURLToPath(new URL('./no-app-here', import.meta.url)),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** The exit code, or a failure naming the output when the process outlives `ms`. */
const exitWithin = async (run: Run, ms: number): Promise<number | null> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.child.kill('SIGKILL')
      reject(new Error(`still running after ${ms} ms:\n${run.stdout()}${run.stderr()}`))
    }, ms)
  })
  try {
    return await Promise.race([run.exited, late])
  } finally {
    clearTimeout(timer)
  }
}

describe('npm start (src/server/main.ts)', () => {
  it('refuses a short secret in one line and exits with status 1', async () => {
    const run = start({ SHELFSYNC_SECRET: 'short' })
    expect(await exitWithin(run, 15_000)).toBe(1)
    expect(run.stderr()).toBe(
      'shelfsync: cannot start: SHELFSYNC_SECRET must be at least 16 characters\n',
    )
    expect(run.stdout()).toBe('')
  })

  it('says in one line that the port is in use, and exits with status 1', async () => {
    const holder = createServer()
    holder.listen(0, '127.0.0.1')
    await once(holder, 'listening')
    const address = holder.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    try {
      const run = start({ PORT: String(address.port) })
      expect(await exitWithin(run, 15_000)).toBe(1)
      expect(run.stderr()).toBe(
        `shelfsync: cannot start: port ${address.port} on 127.0.0.1 is in use; set PORT=...\n`,
      )
      expect(run.stdout()).toBe('')
    } finally {
      holder.close()
    }
  })

  it('says in one line that the database cannot be opened, its folder made or its file read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfsync-main-'))
    const notAFolder = join(dir, 'plain-file')
    writeFileSync(notAFolder, 'not a database')
    for (const db of [join(notAFolder, 'shop.db'), notAFolder]) {
      const run = start({ SHELFSYNC_DB: db })
      expect(await exitWithin(run, 15_000), db).toBe(1)
      expect(run.stderr()).toMatch(new RegExp(`^shelfsync: cannot start: database ${db}: .+\n$`))
      expect(run.stdout()).toBe('')
    }
  })

  it('warns when demo mode is off and the server signs with its own secret', async () => {
    const run = start({ SHELFSYNC_SECRET: '' })
    try {
      await waitUntil(
        'it listens and warns',
        () => run.child.exitCode !== null || run.stderr().endsWith('\n'),
        15_000,
      )
      expect(run.stdout()).toMatch(/^Shelfsync listening on http:\/\/127\.0\.0\.1:\d+ /)
      expect(run.stderr()).toBe(
        'shelfsync: warning: SHELFSYNC_SECRET is not set; the server signs with a secret of its own ' +
          'for this run only, so your app cannot sign tokens for it. ' +
          'Set SHELFSYNC_SECRET (16+ characters) and sign with the same.\n',
      )
    } finally {
      run.child.kill('SIGTERM')
      expect(await exitWithin(run, 10_000)).toBe(0)
    }
  })

  it('refuses in one line to start under an open-file limit that leaves almost no connections', async () => {
    const run = start({}, 300)
    expect(await exitWithin(run, 15_000)).toBe(1)
    expect(run.stderr()).toBe(
      'shelfsync: cannot start: the open-file limit is 300, which leaves room for 44 connections ' +
        '(256 files are kept back, and at least 64 connections are needed); raise it (ulimit -n 25256)\n',
    )
    expect(run.stdout()).toBe('')
  })

  it('accepts no more connections than its open-file limit leaves room for, and says so', async () => {
    // 400 files, 256 kept back: room for 144 connections, of which streams may take 108.
    const run = start({}, 400)
    const sockets: Socket[] = []
    try {
      await waitUntil(
        'it listens',
        () => run.child.exitCode !== null || run.stdout().includes('Open-file limit'),
        15_000,
      )
      expect(run.stdout()).toContain(
        'Open-file limit 400: accepting at most 144 connections and 108 streams; ' +
          'raise it (ulimit -n 25256) for 25000 and 20000.\n',
      )
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stdout())?.[1])
      let closed = 0
      for (let i = 0; i < 150; i++) {
        const socket = connect(port, '127.0.0.1')
        socket.on('error', () => {})
        socket.on('close', () => closed++)
        sockets.push(socket)
        await once(socket, 'connect')
      }
      await waitUntil('the six past the room are closed', () => closed >= 6, 5_000)
      await new Promise((done) => setTimeout(done, 300))
      expect(closed).toBe(6)
    } finally {
      for (const socket of sockets) socket.destroy()
      run.child.kill('SIGTERM')
      await exitWithin(run, 10_000)
    }
  })
})
