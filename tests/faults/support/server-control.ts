// A server child process that tests stop (SIGTERM: graceful; SIGKILL: a crash) and start again
// on the same port and database file, as an operator's restart would. A process is kept loaded
// in standby, so a start or restart is down only while the new process opens the database.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('../../support/server-process.ts', import.meta.url))

export interface ServerControl {
  readonly port: number
  /** `http://127.0.0.1:<port>`: the server itself, bypassing any proxy. */
  readonly url: string
  /** Stops the server process with `signal` and waits until it has exited. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /**
   * Stops it and starts a new process on the same port and file; resolves once it listens,
   * with when the signal was sent and when the new process was listening (Date.now()).
   */
  restart(signal: 'SIGTERM' | 'SIGKILL'): Promise<{ signalledAt: number; upAt: number }>
}

interface Child {
  process: ChildProcess
  exited: Promise<void>
  /** Resolves once the output so far matches `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>
}

const launch = (): Child => {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, SHELFSYNC_DEMO: '0', SHELFSYNC_TEST_STANDBY: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  // A waiting test keeps the event loop busy; an idle standby must not keep a worker alive.
  child.unref()
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    ;(stream as unknown as { unref?: () => void } | null)?.unref?.()
  }
  let output = ''
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  return {
    process: child,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`the server did not print ${pattern}:\n${output}`))
        }, 20_000)
        const check = () => {
          const match = pattern.exec(output)
          if (match) {
            cleanup()
            resolve(match)
          }
        }
        const gone = () => {
          cleanup()
          reject(new Error(`the server exited:\n${output}`))
        }
        const cleanup = () => {
          clearTimeout(timer)
          child.stdout?.off('data', check)
          child.off('exit', gone)
        }
        child.stdout?.on('data', check)
        child.once('exit', gone)
        check()
      }),
  }
}

// One loaded process waits for the next start, whichever server of this test file it is for.
let standby: Child | null = null
process.once('exit', () => standby?.process.kill('SIGKILL'))

/** Takes the standby process (loading one if there is none), tells it `env`, waits until it listens. */
const goLive = async (env: Record<string, string>): Promise<{ child: Child; port: number }> => {
  const child = standby ?? launch()
  standby = null
  await child.waitFor(/standby/)
  child.process.stdin?.write(`${JSON.stringify(env)}\n`)
  const port = Number((await child.waitFor(/listening (\d+)/))[1])
  standby = launch()
  return { child, port }
}

/**
 * Starts the server process with `env` (SHELFSYNC_DB, SHELFSYNC_SECRET, …) on a free port.
 *
 * @example
 * const server = await startServerProcess({ SHELFSYNC_DB: file, SHELFSYNC_SECRET: secret })
 * await server.restart('SIGKILL')
 */
export const startServerProcess = async (env: Record<string, string>): Promise<ServerControl> => {
  const first = await goLive({ ...env, PORT: '0' })
  let running: Child | null = first.child
  const port = first.port
  const kill = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const current = running
    running = null
    if (current === null) return
    current.process.kill(signal)
    await current.exited
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: kill,
    async restart(signal) {
      const next = standby ?? launch()
      standby = null
      await next.waitFor(/standby/)
      standby = next // goLive takes it right after the old process is gone
      const signalledAt = Date.now()
      await kill(signal)
      running = (await goLive({ ...env, PORT: String(port) })).child
      return { signalledAt, upAt: Date.now() }
    },
  }
}
