// Starts tests/support/server-process.ts as a child process and waits until it listens.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('./server-process.ts', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  url: string
  port: number
  exited: Promise<number | null>
}

export const spawnServer = (env: Record<string, string>, port = 0): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, PORT: String(port), SHELFSYNC_DEMO: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
    let output = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000)
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
    child.stdout?.on('data', (chunk) => {
      output += chunk
      const match = /listening (\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        const p = Number(match[1])
        resolve({ child, port: p, url: `http://127.0.0.1:${p}`, exited })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${output}`))
    })
  })
