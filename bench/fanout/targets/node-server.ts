// Starts one of bench/fanout/servers/*.ts as a Node child pinned to the server core, and talks
// to it over IPC (see servers/control.ts).
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SERVER_CORE, spawnPinned } from '../../lib/proc.js'
import { RESULTS_DIR } from '../../lib/results.js'
import type { FromServer, ToServer } from '../servers/control.js'

export interface NodeServer {
  port: number
  pid: number
  /** Collects garbage; answers the JS heap plus external memory, in bytes. */
  gc(): Promise<number>
  /** Starts a CPU profile; the function it returns writes it and answers the file. */
  profile(label: string): Promise<() => Promise<string>>
  stop(): Promise<void>
}

export const PROFILES_DIR = `${RESULTS_DIR}profiles/`

export const startNodeServer = (
  name: string,
  options: { env?: Record<string, string> } = {},
): Promise<NodeServer> => {
  const file = fileURLToPath(new URL(`../servers/${name}.ts`, import.meta.url))
  const child = spawnPinned(
    SERVER_CORE,
    process.execPath,
    ['--expose-gc', '--import', 'tsx', file],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...options.env },
    },
  )
  // Answers come back in the order asked.
  const waiting: Array<(message: FromServer) => void> = []
  const ask = (message: ToServer) =>
    new Promise<FromServer>((resolve) => {
      waiting.push(resolve)
      child.send(message)
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} server did not start in 20 s`))
    }, 20_000)
    child.once('exit', (code) =>
      reject(new Error(`${name} server exited with ${code} before it was ready`)),
    )
    child.on('message', (message: FromServer) => {
      if (message.type !== 'ready') return void waiting.shift()?.(message)
      clearTimeout(timer)
      resolve({
        port: message.port,
        pid: child.pid as number,
        async gc() {
          const answer = await ask({ type: 'gc' })
          return answer.type === 'gc-done' ? answer.heapBytes : 0
        },
        async profile(label) {
          mkdirSync(PROFILES_DIR, { recursive: true })
          await ask({ type: 'profile-start' })
          return async () => {
            const file = `${PROFILES_DIR}${name}-${label}-${Date.now()}.cpuprofile`
            await ask({ type: 'profile-stop', file })
            return file
          }
        },
        async stop() {
          if (child.exitCode !== null) return
          const exited = new Promise((done) => child.once('exit', done))
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
          if (child.connected) child.send({ type: 'stop' } satisfies ToServer)
          else child.kill('SIGTERM')
          await exited
          clearTimeout(force)
        },
      })
    })
  })
}
