// Live: a client following commits as they are written, one per network chunk, into a store of
// 1k or 10k products, with the stream paced (the default) and with `pace: false`, side by side
// in one run. CPU per second of wall time and the wait from a commit's chunk to the store.
import { inProduction } from '../lib/production.js'
import type { Suite, SuiteResult } from '../lib/suite.js'
import { snapshotOf } from '../store/workload.js'
import { type Followed, follow } from './follow.js'

const CASES = [
  { products: 1_000, rate: 150 },
  { products: 10_000, rate: 50 },
  { products: 10_000, rate: 150 },
] as const

const ms = (value: number): string => value.toFixed(1)

export const liveSuite: Suite = {
  name: 'live',
  summary: 'live follower: CPU and commit-to-store wait, paced and unpaced, 1k and 10k products',
  run({ quick }): Promise<SuiteResult> {
    return inProduction(async () => {
      const seconds = quick ? 1 : 5
      const cases = quick ? CASES.slice(-1) : CASES
      const rows: SuiteResult['rows'][number][] = []
      const data: Array<Followed & { products: number; pace: boolean }> = []
      for (const { products, rate } of cases) {
        const snapshot = snapshotOf(products)
        const measured = new Map<boolean, Followed>()
        // Unpaced first, then paced: a warm-up that favours neither more than the other.
        for (const pace of [false, true]) {
          const followed = await follow(snapshot, { rate, seconds, pace })
          measured.set(pace, followed)
          data.push({ ...followed, products, pace })
        }
        const unpaced = measured.get(false)
        for (const [pace, r] of measured) {
          rows.push({
            case: `${products.toLocaleString('en-US')} products, ${rate} commits/s`,
            client: pace ? 'paced (default)' : 'pace: false',
            cpu: `${r.cpuPercent.toFixed(1)} %`,
            updates: r.updates,
            p50: ms(r.p50Ms),
            p99: ms(r.p99Ms),
            max: ms(r.maxMs),
            ratio:
              pace && unpaced !== undefined
                ? `${(r.cpuPercent / unpaced.cpuPercent).toFixed(2)}× CPU`
                : '',
          })
        }
      }
      return {
        columns: [
          { key: 'case', title: 'case' },
          { key: 'client', title: 'client' },
          { key: 'cpu', title: 'CPU' },
          { key: 'updates', title: 'store updates' },
          { key: 'p50', title: 'wait p50 ms' },
          { key: 'p99', title: 'wait p99 ms' },
          { key: 'max', title: 'max ms' },
          { key: 'ratio', title: 'paced ÷ unpaced' },
        ],
        rows,
        notes: [
          `Each case ${seconds} s: the real client (dist/lib) reads a snapshot and then one commit of one stock change per chunk from a fetch stub fed by a timer (no network); CPU is the whole process's (user + system) per second of wall time, stub included.`,
          'The wait runs from the chunk being handed to the stream to the store update that holds its commit, so it includes applying it.',
          'Paced: applying live batches may take a third of the wall time, with 50 ms of credit for bursts; past it the stream is left unread (at most 100 ms) and what arrives meanwhile comes as one batch. See src/store/sync/pacing.ts.',
        ],
        data,
      }
    })
  },
}
