// Commands: cart holds per second over HTTP and their latency, on one contended product and on
// many, beside raw better-sqlite3 doing the same transactions in one process (the ceiling), at
// the durability Shelfsync ships with (WAL, synchronous = FULL).
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signToken } from '../../src/server/index.js'
import { createHistogram } from '../fanout/histogram.js'
import { ALL_CORES, LOAD_CORE, pinSelf, SERVER_CORE, spawnPinned, stopChild } from '../lib/proc.js'
import type { Suite, SuiteResult } from '../lib/suite.js'
import { runHolds } from './load.js'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
const SECRET = 'bench-commands-secret-0123456789'
const USERS = 32

const readLine = (child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> =>
  new Promise((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk) => {
      out += chunk
      const match = pattern.exec(out)
      if (match) resolve(match)
    })
    child.stderr?.on('data', (chunk) => {
      out += chunk
    })
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before ${pattern}:\n${out}`)),
    )
  })

const skuFor = (mode: string) => (u: number) => (mode === 'one' ? 'hot' : `sku-${u}`)

const overHttp = async (mode: string, seconds: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfsync-bench-commands-'))
  const server = spawnPinned(
    SERVER_CORE,
    process.execPath,
    ['--import', 'tsx', here('./server.ts')],
    {
      env: { ...process.env, BENCH_DB: join(dir, 'shop.db'), BENCH_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  try {
    const port = Number((await readLine(server, /listening (\d+)/))[1])
    const admin = signToken(SECRET, { user: 'admin' })
    const skus = new Set(Array.from({ length: USERS }, (_, u) => skuFor(mode)(u)))
    for (const sku of skus) {
      const res = await fetch(`http://127.0.0.1:${port}/api/products`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sku, title: 'Bench product', priceCents: 100, onHand: 1_000_000 }),
      })
      if (res.status !== 201) throw new Error(`creating ${sku} answered ${res.status}`)
    }
    const tokens = Array.from({ length: USERS }, (_, u) => signToken(SECRET, { user: `user-${u}` }))
    pinSelf(String(LOAD_CORE))
    try {
      return await runHolds({ port, tokens, skuOf: skuFor(mode), seconds })
    } finally {
      pinSelf(ALL_CORES)
    }
  } finally {
    await stopChild(server)
    rmSync(dir, { recursive: true, force: true })
  }
}

const ceiling = async (mode: string, seconds: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfsync-bench-ceiling-'))
  const child = spawnPinned(
    SERVER_CORE,
    process.execPath,
    [
      '--import',
      'tsx',
      here('./ceiling.ts'),
      join(dir, 'raw.db'),
      mode,
      String(USERS),
      String(seconds),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let line: string
  try {
    line = (await readLine(child, /^\{.*\}$/m))[0]
  } finally {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
  }
  const result = JSON.parse(line) as {
    holds: number
    seconds: number
    latencies: ReturnType<ReturnType<typeof createHistogram>['toJSON']>
  }
  const latencies = createHistogram()
  latencies.merge(result.latencies)
  return { holds: result.holds, refused: 0, seconds: result.seconds, latencies }
}

export const commandsSuite: Suite = {
  name: 'commands',
  summary: 'cart holds/s over HTTP vs raw better-sqlite3 doing the same transactions',
  async run({ quick }): Promise<SuiteResult> {
    const seconds = quick ? 2 : 10
    const rows: SuiteResult['rows'][number][] = []
    const data: Record<string, unknown> = {}
    for (const mode of ['one', 'many']) {
      const raw = await ceiling(mode, seconds)
      const http = await overHttp(mode, seconds)
      const rawRate = raw.holds / raw.seconds
      for (const [name, r] of [
        ['raw better-sqlite3 (ceiling)', raw],
        ['shelfsync over HTTP', http],
      ] as const) {
        const rate = r.holds / r.seconds
        rows.push({
          case: mode === 'one' ? 'one contended product' : `${USERS} products`,
          contender: name,
          holdsPerSecond: Math.round(rate),
          p50: r.latencies.percentile(50),
          p99: r.latencies.percentile(99),
          refused: r.refused,
          ofCeiling: (rate / rawRate).toFixed(2),
        })
      }
      data[mode] = {
        raw: {
          holds: raw.holds,
          seconds: raw.seconds,
          p50: raw.latencies.percentile(50),
          p99: raw.latencies.percentile(99),
        },
        http: {
          holds: http.holds,
          refused: http.refused,
          seconds: http.seconds,
          p50: http.latencies.percentile(50),
          p99: http.latencies.percentile(99),
        },
      }
    }
    return {
      columns: [
        { key: 'case', title: 'case' },
        { key: 'contender', title: 'contender' },
        { key: 'holdsPerSecond', title: 'holds/s' },
        { key: 'p50', title: 'p50 ms' },
        { key: 'p99', title: 'p99 ms' },
        { key: 'refused', title: 'refused' },
        { key: 'ofCeiling', title: '÷ ceiling' },
      ],
      rows,
      notes: [
        `${USERS} simulated customers on keep-alive connections, each toggling its hold between 1 and 2 units; ${seconds} s per run.`,
        'Server and ceiling pinned to core 0, the HTTP load to core 1. Both at WAL + synchronous = FULL (an fsync per commit).',
        'The ceiling runs the SQL of a Shelfsync hold in one process, one transaction after another. Target: HTTP ≥ 0.5 × ceiling.',
      ],
      data,
    }
  },
}
