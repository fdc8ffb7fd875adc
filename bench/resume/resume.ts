// One resume, measured: a real server in its own process, a Node SDK client that syncs once and
// stops, `commits` commits written meanwhile, then the time from `start()` until the client's
// store is at the head again and its connection live.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Snapshot } from '../../src/actions/index.js'
import { signToken } from '../../src/server/index.js'
import type { ShopClient, ShopClientOptions, ShopState } from '../../src/store/index.js'
import {
  ALL_CORES,
  LOAD_CORE,
  pinSelf,
  SERVER_CORE,
  spawnPinned,
  stopChild,
  treeCpuSeconds,
} from '../lib/proc.js'
import { seedProducts, writeRestocks } from './log.js'

export interface ResumeSetup {
  commits: number
  products: number
  /** The client under test; the bench passes `createShopClient`. */
  makeClient(options: ShopClientOptions): ShopClient
  /** Runs around the measured part, e.g. a CPU profile; answers what to report. */
  around?<T>(work: () => Promise<T>): Promise<T>
}

export interface ResumeResult {
  /** `start()` to position at the head with the connection live. */
  seconds: number
  commitsPerSecond: number
  /** Store updates that moved the position while catching up: one per batch. */
  batches: number
  /** CPU time in this process (the client) and in the server's, over the measured part. */
  clientCpuSeconds: number
  serverCpuSeconds: number
  writeSeconds: number
}

interface Server {
  child: ChildProcess
  port: number
}

const startServer = (env: Record<string, string>): Promise<Server> => {
  const file = fileURLToPath(new URL('./serve.ts', import.meta.url))
  const child = spawnPinned(SERVER_CORE, process.execPath, ['--import', 'tsx', file], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('resume: the server did not start in 20 s')),
      20_000,
    )
    child.once('exit', (code) => reject(new Error(`resume: the server exited with ${code}`)))
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type !== 'ready' || message.port === undefined) return
      clearTimeout(timer)
      resolve({ child, port: message.port })
    })
  })
}

const until = (
  client: ShopClient,
  done: (state: ShopState) => boolean,
  what: string,
  timeoutMs: number,
): Promise<void> =>
  new Promise((resolve, reject) => {
    if (done(client.store.getState())) return resolve()
    const timer = setTimeout(() => {
      unsubscribe()
      const { connection, position } = client.store.getState()
      reject(
        new Error(
          `resume: no ${what} after ${timeoutMs / 1000} s (${connection.status}, ` +
            `${connection.lastError?.message ?? 'no error'}, at ${position?.seq})`,
        ),
      )
    }, timeoutMs)
    const unsubscribe = client.store.subscribe((state) => {
      if (!done(state)) return
      clearTimeout(timer)
      unsubscribe()
      resolve()
    })
  })

/** Throws unless the client holds every product exactly as the server's snapshot does. */
const checkAgainstServer = async (baseUrl: string, token: string, client: ShopClient) => {
  const response = await fetch(`${baseUrl}/api/snapshot`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  const snapshot = (await response.json()) as Snapshot
  const held = client.store.getState().confirmed.products
  for (const product of snapshot.products) {
    const mine = held[product.sku]
    if (mine?.onHand !== product.onHand || mine.version !== product.version) {
      throw new Error(
        `resume: the client holds ${JSON.stringify(mine)} for ${product.sku}, the server ${JSON.stringify(product)}`,
      )
    }
  }
  if (Object.keys(held).length !== snapshot.products.length) {
    throw new Error('resume: the client holds another set of products than the server')
  }
}

export const measureResume = async (setup: ResumeSetup): Promise<ResumeResult> => {
  const timeoutMs = 600_000
  const dir = mkdtempSync(join(os.tmpdir(), 'shelfsync-resume-'))
  const file = join(dir, 'resume.db')
  const secret = randomBytes(24).toString('hex')
  const server = await startServer({
    BENCH_DB: file,
    BENCH_SECRET: secret,
    BENCH_LOG_RETAIN: String(setup.commits * 2 + 1_000),
  })
  const baseUrl = `http://127.0.0.1:${server.port}`
  const token = signToken(secret, { user: 'resume-reader', ttlMs: 3_600_000, now: Date.now() })
  const client = setup.makeClient({ baseUrl, token })
  try {
    seedProducts(file, setup.products)
    const live = (head: number) => (state: ShopState) =>
      state.connection.status === 'live' && (state.position?.seq ?? -1) >= head
    client.start()
    await until(client, live(0), 'first sync', 60_000)
    client.stop()
    const behind = client.store.getState().position?.seq ?? 0

    const writing = performance.now()
    const head = writeRestocks(file, setup.commits, setup.products)
    const writeSeconds = (performance.now() - writing) / 1000
    if (head - behind !== setup.commits) {
      throw new Error(`resume: the client is ${head - behind} commits behind, not ${setup.commits}`)
    }

    let batches = 0
    const count = client.store.subscribe((state, previous) => {
      if (state.position !== previous.position) batches++
    })
    const measured = async () => {
      const cpu = process.cpuUsage()
      const serverCpu = treeCpuSeconds([server.child.pid as number])
      const started = performance.now()
      client.start()
      await until(client, live(head), 'catch-up', timeoutMs)
      const seconds = (performance.now() - started) / 1000
      const used = process.cpuUsage(cpu)
      return {
        seconds,
        clientCpuSeconds: (used.user + used.system) / 1e6,
        serverCpuSeconds: treeCpuSeconds([server.child.pid as number]) - serverCpu,
      }
    }
    // The server has core SERVER_CORE to itself; the client takes the other, as on two machines.
    pinSelf(String(LOAD_CORE))
    const timing = await (setup.around ? setup.around(measured) : measured()).finally(() =>
      pinSelf(ALL_CORES),
    )
    count()
    client.stop()
    await checkAgainstServer(baseUrl, token, client)
    return {
      ...timing,
      commitsPerSecond: setup.commits / timing.seconds,
      batches,
      writeSeconds,
    }
  } finally {
    client.stop()
    await stopChild(server.child)
    rmSync(dir, { recursive: true, force: true })
  }
}
