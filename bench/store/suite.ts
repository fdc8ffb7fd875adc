// Client store: actions per second applied into the store (commits of 1 and of 50 actions, 10k
// products) beside Redux Toolkit and a hand-written reducer, and the time a client takes to
// apply a 100k-commit catch-up from the event stream.
import { inProduction } from '../lib/production.js'
import type { Suite, SuiteResult } from '../lib/suite.js'
import { catchUp } from './catch-up.js'
import { handWritten, reduxToolkit, reduxToolkitPerCommit, shelfsync } from './contenders.js'
import { type Measured, measureInRounds } from './measure.js'
import { commitsOf, snapshotOf } from './workload.js'

const PRODUCTS = 10_000
const SIZES = [1, 50] as const
const CONTENDERS = [shelfsync, reduxToolkit, reduxToolkitPerCommit, handWritten]

const snapshot = snapshotOf(PRODUCTS)

const ratio = (ours: number, theirs: number): string => (ours / theirs).toFixed(2)

export const storeSuite: Suite = {
  name: 'store',
  summary: 'client store: actions/s into 10k products vs Redux Toolkit and a hand-written reducer',
  run({ quick }): Promise<SuiteResult> {
    return inProduction(async () => {
      const rounds = quick ? 1 : 5
      const budgetMs = quick ? 300 : 1_500
      const catchUpCommits = quick ? 5_000 : 100_000
      const rows: SuiteResult['rows'][number][] = []
      const data: Record<string, unknown> = {}
      for (const size of SIZES) {
        const commits = commitsOf(quick ? 2_000 : 20_000, size, PRODUCTS)
        const results = measureInRounds(CONTENDERS, snapshot, commits, { rounds, budgetMs })
        const ours = results[0]?.actionsPerSecond ?? 0
        for (const r of results) {
          rows.push({
            case: `commits of ${size}`,
            store: r.name,
            commits: r.rounds.reduce((sum, round) => sum + round.commits, 0),
            actionsPerSecond: Math.round(r.actionsPerSecond),
            ratio: r.name === 'shelfsync store' ? '' : ratio(ours, r.actionsPerSecond),
          })
        }
        data[`commitsOf${size}`] = results
      }
      const perCommit = (data.commitsOf1 as Measured[])[0]
      const caughtUp = await catchUp(snapshot, commitsOf(catchUpCommits, 1, PRODUCTS))
      rows.push({
        case: `${catchUpCommits.toLocaleString('en-US')}-commit catch-up`,
        store: `shelfsync client, ${caughtUp.batches} batches`,
        commits: catchUpCommits,
        actionsPerSecond: Math.round(catchUpCommits / caughtUp.seconds),
        ratio: `${caughtUp.seconds.toFixed(2)} s`,
      })
      if (perCommit !== undefined) {
        rows.push({
          case: `${catchUpCommits.toLocaleString('en-US')}-commit catch-up`,
          store: 'one dispatch per commit (projected)',
          commits: null,
          actionsPerSecond: Math.round(perCommit.actionsPerSecond),
          ratio: `${(catchUpCommits / perCommit.actionsPerSecond).toFixed(0)} s`,
        })
      }
      data.catchUp = { commits: catchUpCommits, ...caughtUp }
      return {
        columns: [
          { key: 'case', title: 'case' },
          { key: 'store', title: 'store' },
          { key: 'commits', title: 'commits' },
          { key: 'actionsPerSecond', title: 'actions/s' },
          { key: 'ratio', title: 'shelfsync ÷ this' },
        ],
        rows,
        notes: [
          `${PRODUCTS.toLocaleString('en-US')} products; commits of stock/changed actions on pseudo-random skus. ${rounds} rounds of ${budgetMs / 1000} s per store after a warm-up round, the stores taking turns; actions/s is each store's median round, commits the total applied. After every turn a store must hold exactly the figures the protocol gives.`,
          'Redux Toolkit runs in production mode without dev middleware; "per action" is how it is usually written, "per commit" batches like Shelfsync.',
          'Catch-up: the shelfsync client reads the commits as server-sent events in 64 KiB chunks, all there at once (a fetch stub, no network): parse, check, apply, in batches of the chunks at hand (≤ 256 KiB); the time runs from the snapshot to the last commit. The projected row: one dispatch per commit, at the commits-of-1 rate.',
          'Targets: shelfsync ≥ 3 × Redux Toolkit and ≥ 0.5 × the hand-written ceiling, batched (commits of 50).',
        ],
        data,
      }
    })
  },
}
