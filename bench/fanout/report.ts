// How fan-out results read in the terminal: the table's columns, one row per trial, the notes.
import type { Cell } from '../lib/suite.js'
import type { TrialResult } from './trial.js'

const ms = (value: number | null) =>
  value === null ? null : Number(value.toFixed(value < 10 ? 2 : 1))
const kb = (bytes: number | null) => (bytes === null ? null : Number((bytes / 1024).toFixed(1)))
const us = (value: number | null) => (value === null ? null : Number(value.toFixed(2)))
const percent = (fraction: number) => `${Math.round(fraction * 100)}%`

export const COLUMNS = [
  { key: 'target', title: 'target' },
  { key: 'clients', title: 'clients' },
  { key: 'kbPerConn', title: 'KB/conn' },
  { key: 'heapPerConn', title: 'heap KB/conn' },
  { key: 'rate', title: 'steady c/s' },
  { key: 'p50', title: 'p50 ms' },
  { key: 'p99', title: 'p99 ms' },
  { key: 'max', title: 'max ms' },
  { key: 'lastP99', title: 'last p99' },
  { key: 'lastMax', title: 'last max' },
  { key: 'deliveries', title: 'sat. deliv/s' },
  { key: 'vsBare', title: '× bare' },
  { key: 'satLastP99', title: 'sat. last p99' },
  { key: 'serverCpu', title: 'srv CPU' },
  { key: 'serverUs', title: 'srv µs/del' },
  { key: 'clientUs', title: 'cli µs/del' },
  { key: 'perRead', title: 'ev/read' },
  { key: 'bytes', title: 'B/event' },
  { key: 'missing', title: 'missing' },
]

export const row = (result: TrialResult, bare: TrialResult | undefined): Record<string, Cell> => {
  const { memory, steady, saturated } = result
  return {
    target: result.target,
    clients:
      result.connected === result.clients
        ? result.clients
        : `${result.connected}/${result.clients}`,
    kbPerConn: kb(memory.perConnectionBytes),
    heapPerConn: kb(memory.heapPerConnectionBytes),
    rate: steady.rate,
    p50: ms(steady.latency.p50),
    p99: ms(steady.latency.p99),
    max: ms(steady.latency.max),
    lastP99: ms(steady.lastClient.p99),
    lastMax: ms(steady.lastClient.max),
    deliveries: Math.round(saturated.deliveriesPerSec),
    vsBare: bare
      ? Number((saturated.deliveriesPerSec / bare.saturated.deliveriesPerSec).toFixed(2))
      : null,
    satLastP99: ms(saturated.lastClient.p99),
    serverCpu: percent(saturated.serverCpu),
    serverUs: us(saturated.serverUsPerDelivery),
    clientUs: us(saturated.clientUsPerDelivery),
    perRead: saturated.eventsPerRead === null ? null : Number(saturated.eventsPerRead.toFixed(1)),
    bytes: saturated.bytesPerEvent === null ? null : Math.round(saturated.bytesPerEvent),
    missing: steady.missing + saturated.missing,
  }
}

/** What went wrong in trials that still produced numbers. */
export const trialNotes = (results: readonly TrialResult[]): string[] =>
  results.flatMap((r) => {
    const name = `${r.target} × ${r.clients}`
    const notes: string[] = []
    const failedWrites = r.steady.failedWrites + r.saturated.failedWrites
    if (failedWrites > 0) {
      const first = r.steady.firstWriteError ?? r.saturated.firstWriteError
      notes.push(`${name}: ${failedWrites} writes failed (${first})`)
    }
    if (r.connected < r.clients) {
      notes.push(`${name}: ${r.failed} connections failed (${r.firstError})`)
    }
    if (r.retries > 0) notes.push(`${name}: ${r.retries} connection attempts were retried`)
    if (r.dropped > 0) notes.push(`${name}: ${r.dropped} streams ended by the server`)
    return notes
  })

export const LEGEND = [
  'KB/conn: server RSS added per idle stream (whole process tree); heap: JS heap + external after a full GC.',
  'steady: a fixed commits/s; p50/p99/max = write→receive per delivery; last = write→last client per commit.',
  'sat.: the writer goes as fast as the slowest client keeps up (≤ 64 commits in flight, --writers requests at once, default 8); × bare = ratio to the bare node:http ceiling.',
  'missing: deliveries that had not arrived when the drain time after the writing ran out.',
  'ev/read: commit events per socket read at the clients, saturated phase. Above 1: several commits went out in one write (Shelfsync groups concurrent commits; --writers=1 turns that off).',
  'srv/cli µs/del: CPU time per delivery of the server / the client processes in the saturated phase; srv CPU near 100% means the server was the limit.',
  "Latency runs from the event's `at` (whole ms) to arrival. The machine is shared and has 2 cores: compare ratios within one run, not absolute numbers.",
]
