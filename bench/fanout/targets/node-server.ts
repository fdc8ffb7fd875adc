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

/** A full GC of 10k streams' heap takes well under a second; a profile write a few. */
const ASK_TIMEOUT_MS = 60_000

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
  // Answers come back in the order asked. A server that stops answering (hung, or gone) fails the
  // trial instead of holding up the whole run.
  interface Waiter {
    resolve(message: FromServer): void
    reject(error: Error): void
  }
  const waiting: Waiter[] = []
  const ask = (message: ToServer, timeoutMs = ASK_TIMEOUT_MS) =>
    new Promise<FromServer>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = waiting.indexOf(waiter)
        if (at >= 0) waiting.splice(at, 1)
        reject(new Error(`${name} server did not answer "${message.type}" in ${timeoutMs} ms`))
      }, timeoutMs)
      const waiter: Waiter = {
        resolve: (answer) => {
          clearTimeout(timer)
          resolve(answer)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      }
      waiting.push(waiter)
      child.send(message)
    })
  child.once('exit', (code, signal) => {
    const error = new Error(`${name} server exited (${signal ?? code}) during the trial`)
    for (const waiter of waiting.splice(0)) waiter.reject(error)
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
      if (message.type !== 'ready') return void waiting.shift()?.resolve(message)
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
