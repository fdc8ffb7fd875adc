// The numbers of one phase of a trial: latency percentiles, per-commit arrival at the last
// client, deliveries per second and the CPU the server and the clients spent on them.
import { treeCpuSeconds } from '../lib/proc.js'
import type { FleetReport } from './fleet.js'

export interface Percentiles {
  p50: number | null
  p99: number | null
  max: number | null
}

export interface PhaseResult {
  commits: number
  failedWrites: number
  firstWriteError: string | null
  commitsPerSec: number
  deliveries: number
  /** Deliveries that never came (commits × clients − deliveries). */
  missing: number
  deliveriesPerSec: number
  bytesPerEvent: number | null
  /** Commit events per read at the clients (1 = every event came alone). */
  eventsPerRead: number | null
  /** Write to receive, every delivery (ms). */
  latency: Percentiles
  /** Write to the last client, per commit (ms). */
  lastClient: Percentiles
  /** Cores busy in the server's processes and in the client processes (1 = one core). */
  serverCpu: number
  clientCpu: number
  /** CPU time per delivery (µs): less sensitive to a busy machine than deliveries/s. */
  serverUsPerDelivery: number | null
  clientUsPerDelivery: number | null
}

export interface CpuUse {
  serverCpu: number
  clientCpu: number
  serverSeconds: number
  clientSeconds: number
}

const percentiles = (values: number[]): Percentiles => {
  if (values.length === 0) return { p50: null, p99: null, max: null }
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? null }
}

export const summarizePhase = (
  report: FleetReport,
  input: {
    sent: number
    failed: number
    firstError: string | null
    clients: number
    elapsedMs: number
    deliveriesPerSec?: number
    cpu: CpuUse
  },
): PhaseResult => {
  const commits = input.sent - input.failed
  const lastClient = [...report.seqs.values()].map((seq) => seq.last - seq.at)
  const seconds = input.elapsedMs / 1000
  const perDelivery = (cpuSeconds: number) =>
    report.deliveries > 0 ? (cpuSeconds * 1e6) / report.deliveries : null
  return {
    commits,
    failedWrites: input.failed,
    firstWriteError: input.firstError,
    commitsPerSec: commits / seconds,
    deliveries: report.deliveries,
    missing: Math.max(0, commits * input.clients - report.deliveries),
    deliveriesPerSec: input.deliveriesPerSec ?? report.deliveries / seconds,
    bytesPerEvent: report.deliveries > 0 ? report.bytes / report.deliveries : null,
    eventsPerRead: report.reads > 0 ? report.deliveries / report.reads : null,
    latency: {
      p50: report.latency.percentile(50),
      p99: report.latency.percentile(99),
      max: report.latency.count > 0 ? report.latency.max : null,
    },
    lastClient: percentiles(lastClient),
    serverCpu: input.cpu.serverCpu,
    clientCpu: input.cpu.clientCpu,
    serverUsPerDelivery: perDelivery(input.cpu.serverSeconds),
    clientUsPerDelivery: perDelivery(input.cpu.clientSeconds),
  }
}

/** CPU use of two process sets over a phase, as fractions of one core. */
export const cpuMeter = (server: number[], clients: number[]): (() => CpuUse) => {
  const started = performance.now()
  const serverStart = treeCpuSeconds(server)
  const clientStart = treeCpuSeconds(clients)
  return () => {
    const seconds = (performance.now() - started) / 1000
    const serverSeconds = treeCpuSeconds(server) - serverStart
    const clientSeconds = treeCpuSeconds(clients) - clientStart
    return {
      serverSeconds,
      clientSeconds,
      serverCpu: serverSeconds / seconds,
      clientCpu: clientSeconds / seconds,
    }
  }
}
