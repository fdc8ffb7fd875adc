// A live follower as a service or a big shop page meets it: the real client reads a snapshot and
// then one commit at a time as it is written, `rate` commits a second, each in its own network
// chunk (a fetch stub fed by a timer, no network). Measures the CPU the process spends per second
// and how long a commit waits from its chunk to the store.
import type { SnapshotEventData } from '../../src/actions/index.js'
import type * as ClientModule from '../../src/store/index.js'
import { importBuilt } from '../lib/built.js'
import { commitsOf, eventStreamOf } from '../store/workload.js'

const { createShopClient } = await importBuilt<typeof ClientModule>('store/index.js')

export interface Followed {
  commits: number
  /** Commits the chunks carried per second, as sent. */
  rate: number
  /** Process CPU (user + system) per second of wall time while following, in percent. */
  cpuPercent: number
  /** Store updates that carried commits. */
  updates: number
  /** From a commit's chunk to the store update that holds it, milliseconds. */
  p50Ms: number
  p99Ms: number
  maxMs: number
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

export const follow = (
  snapshot: SnapshotEventData,
  options: { rate: number; seconds: number; pace: boolean },
): Promise<Followed> => {
  const count = Math.round(options.rate * options.seconds)
  const commits = commitsOf(count, 1, snapshot.products.length)
  const encoder = new TextEncoder()
  const head = encoder.encode(eventStreamOf(snapshot, []))
  const chunks = commits.map((commit) =>
    encoder.encode(`id: ${snapshot.epoch}:${commit.seq}\ndata: ${JSON.stringify(commit)}\n\n`),
  )
  const sentAt = new Array<number>(count + 1).fill(0)
  let timer: NodeJS.Timeout | undefined
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head)
      let next = 0
      const started = performance.now()
      // A commit every 1/rate s on the wall clock, however late a timer fires.
      const tick = (): void => {
        const due = Math.min(
          count,
          Math.floor(((performance.now() - started) * options.rate) / 1000) + 1,
        )
        for (; next < due; next++) {
          sentAt[next + 1] = performance.now()
          controller.enqueue(chunks[next] as Uint8Array)
        }
        if (next < count) timer = setTimeout(tick, 1)
      }
      timer = setTimeout(tick, 50)
    },
    cancel() {
      clearTimeout(timer)
    },
  })
  const fetchStub = (async () =>
    new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })) as typeof fetch
  const client = createShopClient({
    baseUrl: 'http://bench.invalid',
    token: 't',
    fetch: fetchStub,
    pace: options.pace,
  })
  return new Promise((resolve, reject) => {
    const waits: number[] = []
    let updates = 0
    let cpu: NodeJS.CpuUsage | null = null
    let wallStarted = 0
    const unsubscribe = client.store.subscribe((state, previous) => {
      if (state.connection.lastError?.code === 'handler') {
        client.stop()
        reject(new Error(`live: ${state.connection.lastError.message}`))
        return
      }
      const from = previous.position?.seq ?? 0
      const to = state.position?.seq ?? 0
      if (state.position === previous.position || to === 0) return
      if (cpu === null) {
        // The snapshot: following starts now.
        cpu = process.cpuUsage()
        wallStarted = performance.now()
        return
      }
      updates++
      const now = performance.now()
      for (let seq = from + 1; seq <= to; seq++) waits.push(now - (sentAt[seq] ?? now))
      if (to < count) return
      const used = process.cpuUsage(cpu)
      const wallMs = performance.now() - wallStarted
      unsubscribe()
      client.stop()
      waits.sort((a, b) => a - b)
      resolve({
        commits: count,
        rate: options.rate,
        cpuPercent: ((used.user + used.system) / 1000 / wallMs) * 100,
        updates,
        p50Ms: quantile(waits, 0.5),
        p99Ms: quantile(waits, 0.99),
        maxMs: waits.at(-1) ?? 0,
      })
    })
    client.start()
  })
}
