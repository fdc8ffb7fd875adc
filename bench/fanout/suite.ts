// The fan-out suite: every target at every client count, one table. Server on core 0, clients
// and writer on core 1; the open-file limit raised in every process it starts.
import { ALL_CORES, canPin, LOAD_CORE, openFilesLimit, pinSelf, SERVER_CORE } from '../lib/proc.js'
import { summarizeProfile } from '../lib/profile.js'
import type { Suite, SuiteOptions } from '../lib/suite.js'
import { COLUMNS, LEGEND, row, trialNotes } from './report.js'
import { bareTarget } from './targets/bare.js'
import { betterSseTarget } from './targets/better-sse.js'
import { nchanTarget } from './targets/nchan.js'
import { pushpinTarget } from './targets/pushpin.js'
import { shelfsyncTarget } from './targets/shelfsync.js'
import type { Target } from './targets/target.js'
import { runTrial, type TrialConfig, type TrialResult } from './trial.js'

const TARGETS: Record<string, Target> = {
  shelfsync: shelfsyncTarget,
  bare: bareTarget,
  'better-sse': betterSseTarget,
  nchan: nchanTarget,
  pushpin: pushpinTarget,
}

const list = (value: string | undefined) => value?.split(',').filter(Boolean)

const settings = (options: SuiteOptions) => {
  const quick = options.quick
  const counts =
    list(options.flags.get('clients'))?.map(Number) ?? (quick ? [300] : [1_000, 5_000, 10_000])
  const targets = list(options.flags.get('targets')) ?? Object.keys(TARGETS)
  const unknown = targets.filter((name) => !(name in TARGETS))
  if (unknown.length > 0 || counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(
      `fanout: --clients takes whole numbers (e.g. 1000,5000) and --targets some of ${Object.keys(TARGETS).join(', ')}`,
    )
  }
  const repeat = Math.max(1, Number(options.flags.get('repeat') ?? 1))
  const writers = Math.max(1, Number(options.flags.get('writers') ?? 8))
  const trial = (clients: number): TrialConfig => ({
    clients,
    perProcess: 2_500,
    steadyDemand: quick ? 20_000 : 25_000,
    steadyMs: quick ? 1_000 : 12_000,
    saturatedMs: quick ? 1_200 : 8_000,
    warmMs: quick ? 200 : 1_000,
    drainMs: quick ? 5_000 : 20_000,
    window: 64,
    writers,
    profile: options.profile,
  })
  return { counts, targets, repeat, trial }
}

const runOne = async (target: Target, config: TrialConfig): Promise<TrialResult> => {
  process.stdout.write(`  ${target.name} × ${config.clients} clients… `)
  const started = Date.now()
  const result = await runTrial(target, config)
  if (result.profile) {
    console.log(`\n    CPU profile of the saturated phase: ${result.profile}`)
    for (const line of summarizeProfile(result.profile)) console.log(`      ${line}`)
    process.stdout.write('    ')
  }
  const rate = Math.round(result.saturated.deliveriesPerSec).toLocaleString('en-US')
  console.log(`${rate} deliveries/s (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return result
}

export const fanoutSuite: Suite = {
  name: 'fanout',
  summary: 'SSE fan-out: Shelfsync beside bare node:http, better-sse, nginx+Nchan and Pushpin',
  async run(options) {
    const { counts, targets, repeat, trial } = settings(options)
    const pinned = canPin()
    console.log(
      `  open-file limit raised to ${openFilesLimit()} (ulimit -n) in every server and client process; ` +
        (pinned
          ? `servers pinned to core ${SERVER_CORE}, clients and writer to core ${LOAD_CORE} (taskset)`
          : 'fewer than 2 cores or no taskset: nothing pinned, numbers mix server and load'),
    )
    const skipped: Array<{ target: string; reason: string }> = []
    const available: Target[] = []
    for (const key of targets) {
      const target = TARGETS[key] as Target
      const reason = await target.unavailable({ allowInstall: !options.quick })
      if (reason) {
        console.log(`  skipped ${target.name}: ${reason}`)
        skipped.push({ target: target.name, reason })
      } else available.push(target)
    }
    // Every target at one client count before the next count, so that the trials compared with
    // each other ran close together in time on this shared machine. With --repeat, the best of N.
    const results: TrialResult[] = []
    const all: TrialResult[] = []
    const failures: Array<{ target: string; clients: number; error: string }> = []
    if (pinned) pinSelf(String(LOAD_CORE))
    try {
      for (const clients of counts) {
        const best = new Map<Target, TrialResult>()
        for (let round = 0; round < repeat; round++) {
          for (const target of available) {
            try {
              const result = await runOne(target, trial(clients))
              all.push(result)
              const known = best.get(target)
              if (!known || result.saturated.deliveriesPerSec > known.saturated.deliveriesPerSec) {
                best.set(target, result)
              }
            } catch (error) {
              const message = error instanceof Error ? error.message : String(error)
              console.log(`failed: ${message}`)
              failures.push({ target: target.name, clients, error: message })
            }
          }
        }
        results.push(...best.values())
      }
    } finally {
      if (pinned) pinSelf(ALL_CORES)
    }
    const bareAt = (clients: number) =>
      results.find((r) => r.target === bareTarget.name && r.clients === clients)
    const notes = [
      ...skipped.map(({ target, reason }) => `skipped ${target}: ${reason}`),
      ...failures.map(({ target, clients, error }) => `failed ${target} × ${clients}: ${error}`),
      ...trialNotes(results),
      ...LEGEND,
    ]
    if (repeat > 1)
      notes.push(
        `--repeat=${repeat}: each row is the best of ${repeat} trials (all are in the JSON).`,
      )
    if (options.quick) notes.push('quick mode: a smoke test; numbers mean nothing.')
    if (options.profile)
      notes.push('--profile: the saturated phase ran under the profiler (slower).')
    return {
      failed: failures.length,
      columns: COLUMNS,
      rows: results.map((result) => row(result, bareAt(result.clients))),
      notes,
      data: {
        settings: { counts, targets, repeat, trial: counts.map(trial) },
        results,
        trials: repeat > 1 ? all : undefined,
        skipped,
        failures,
      },
    }
  },
}
