// One fan-out trial: a target with N clients. Memory per idle connection, then a steady phase
// (latency at a fixed commit rate), then a saturated phase (deliveries per second when the
// writer goes as fast as the slowest client keeps up).
import { sleep, treeRss } from '../lib/proc.js'
import { type Fleet, startFleet } from './fleet.js'
import { cpuMeter, type PhaseResult, summarizePhase } from './measure.js'
import type { RunningTarget, Target } from './targets/target.js'
import { type WriteStats, waitUntil, writeSaturated, writeSteadily } from './writer.js'

export interface TrialConfig {
  clients: number
  perProcess: number
  /** Deliveries per second asked for in the steady phase (commits/s = this / clients). */
  steadyDemand: number
  steadyMs: number
  saturatedMs: number
  /** Start of the saturated phase left out of the rate. */
  warmMs: number
  /** How long to wait, after writing, for the last events; what has not come by then is missing. */
  drainMs: number
  /** Commits some client has not received yet, at most, in the saturated phase. */
  window: number
  /** Writes in flight at once in the saturated phase (Shelfsync groups those that meet). */
  writers: number
  profile: boolean
}

export interface TrialResult {
  target: string
  clients: number
  connected: number
  failed: number
  /** Connection attempts repeated after a refusal or an error. */
  retries: number
  firstError: string | null
  processes: number
  memory: {
    baselineBytes: number
    connectedBytes: number
    /** Resident memory added per idle connection. */
    perConnectionBytes: number | null
    /** JS heap + external memory added per idle connection (Node servers, after a full GC). */
    heapPerConnectionBytes: number | null
  }
  steady: PhaseResult & { rate: number }
  saturated: PhaseResult
  dropped: number
  /** CPU profile of the server during the saturated phase (--profile). */
  profile: string | null
}

// BENCH_VERBOSE=1 prints when each stage of a trial ends.
const stage = (() => {
  if (!process.env.BENCH_VERBOSE) return (_name: string) => {}
  let last = performance.now()
  return (name: string) => {
    const now = performance.now()
    console.log(`    ${name}: ${Math.round(now - last)} ms`)
    last = now
  }
})()

const drained = (fleet: Fleet, writes: WriteStats, config: TrialConfig) =>
  waitUntil(() => fleet.total().minCount >= writes.sent - writes.failed, config.drainMs)

const steadyPhase = async (
  running: RunningTarget,
  fleet: Fleet,
  config: TrialConfig,
  connected: number,
) => {
  const rate = Math.min(500, Math.max(1, Math.round(config.steadyDemand / config.clients)))
  await writeSteadily(running.write, rate, Math.min(1_000, config.steadyMs / 2)) // warm-up
  await sleep(Math.min(500, config.steadyMs / 4))
  stage('warm-up')
  fleet.reset()
  fleet.progress(50)
  const cpu = cpuMeter(running.pids(), fleet.pids)
  const writes = await writeSteadily(running.write, rate, config.steadyMs)
  const used = cpu()
  await drained(fleet, writes, config)
  fleet.progress(0)
  const result = {
    rate,
    ...summarizePhase(await fleet.report(), { ...writes, clients: connected, cpu: used }),
  }
  stage('steady')
  return result
}

const saturatedPhase = async (
  running: RunningTarget,
  fleet: Fleet,
  config: TrialConfig,
  connected: number,
) => {
  fleet.reset()
  const samples: Array<[number, number]> = []
  const writeProfile = config.profile ? await running.profile?.(`${config.clients}`) : undefined
  const started = performance.now()
  const cpu = cpuMeter(running.pids(), fleet.pids)
  const writes = await writeSaturated(running.write, fleet, {
    window: config.window,
    durationMs: config.saturatedMs,
    sockets: config.writers,
    onTick: () => samples.push([performance.now() - started, fleet.total().deliveries]),
  })
  const used = cpu()
  const profile = await writeProfile?.()
  await drained(fleet, writes, config)
  fleet.progress(0)
  // The rate between the end of the warm-up and the end of writing, from the progress samples.
  const measured = samples.filter(([t]) => t >= config.warmMs && t <= config.saturatedMs)
  const first = measured[0]
  const last = measured[measured.length - 1]
  const deliveriesPerSec =
    first && last && last[0] > first[0]
      ? ((last[1] - first[1]) * 1000) / (last[0] - first[0])
      : undefined
  const report = await fleet.report()
  stage('saturated')
  return {
    result: summarizePhase(report, { ...writes, clients: connected, deliveriesPerSec, cpu: used }),
    dropped: report.dropped,
    profile: profile ?? null,
  }
}

export const runTrial = async (target: Target, config: TrialConfig): Promise<TrialResult> => {
  const { clients } = config
  stage('start')
  const running = await target.start({ clients })
  let fleet: Fleet | undefined
  try {
    const baselineHeap = await running.settle()
    await sleep(300)
    const baselineBytes = treeRss(running.pids())
    stage('server up')
    fleet = await startFleet({
      clients,
      perProcess: config.perProcess,
      target: running.stream,
      timeoutMs: 60_000 + clients * 10,
    })
    stage('connected')
    const connected = fleet.ok
    await sleep(Math.min(2_000, 300 + clients / 10))
    const connectedHeap = await running.settle()
    const connectedBytes = treeRss(running.pids())
    const memory = {
      baselineBytes,
      connectedBytes,
      perConnectionBytes: connected > 0 ? (connectedBytes - baselineBytes) / connected : null,
      heapPerConnectionBytes:
        connected > 0 && baselineHeap !== null && connectedHeap !== null
          ? (connectedHeap - baselineHeap) / connected
          : null,
    }
    stage('memory')
    const steady = await steadyPhase(running, fleet, config, connected)
    const saturated = await saturatedPhase(running, fleet, config, connected)
    return {
      target: target.name,
      clients,
      connected,
      failed: fleet.failed,
      retries: fleet.retries,
      firstError: fleet.firstError,
      processes: fleet.processes,
      memory,
      steady,
      saturated: saturated.result,
      dropped: saturated.dropped,
      profile: saturated.profile,
    }
  } finally {
    await fleet?.close()
    await running.stop()
    stage('stopped')
  }
}
