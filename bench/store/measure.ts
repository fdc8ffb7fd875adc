// Measures stores side by side on a loaded machine: in rounds, every store taking a turn in each
// round in a rotating order, so a burst of load elsewhere hits them all alike. The first round is
// a warm-up; each store's rate is its median over the others. After every turn, the store must
// hold exactly the figures the protocol gives for the commits it applied.
import type { Commit, SnapshotEventData } from '../../src/actions/index.js'
import type { Contender } from './contenders.js'
import { expectedFigures } from './workload.js'

export interface Measured {
  name: string
  /** Median over the measured rounds. */
  actionsPerSecond: number
  /** Every measured round: commits applied and seconds taken. */
  rounds: Array<{ commits: number; seconds: number }>
}

/** Throws unless every product of `contender` is as the protocol says after `commits`. */
const check = (
  contender: Contender,
  snapshot: SnapshotEventData,
  commits: readonly Commit[],
): void => {
  for (const [sku, want] of expectedFigures(snapshot, commits)) {
    const have = contender.figuresOf(sku)
    if (JSON.stringify(have) !== JSON.stringify(want)) {
      throw new Error(
        `${contender.name} after ${commits.length} commits: ${sku} is ${JSON.stringify(have)}, not ${JSON.stringify(want)}`,
      )
    }
  }
}

/** One turn: a fresh store loads the snapshot, then applies commits for `budgetMs` (at least one). */
const turn = (
  make: () => Contender,
  snapshot: SnapshotEventData,
  commits: readonly Commit[],
  budgetMs: number,
) => {
  const contender = make()
  contender.load(snapshot)
  const started = performance.now()
  let applied = 0
  while (applied < commits.length && (applied < 1 || performance.now() - started < budgetMs)) {
    contender.apply(commits[applied] as Commit)
    applied++
  }
  const seconds = (performance.now() - started) / 1000
  check(contender, snapshot, commits.slice(0, applied))
  return { name: contender.name, commits: applied, seconds }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export const measureInRounds = (
  makers: ReadonlyArray<() => Contender>,
  snapshot: SnapshotEventData,
  commits: readonly Commit[],
  options: { rounds: number; budgetMs: number },
): Measured[] => {
  const perCommit = commits[0]?.actions.length ?? 1
  const results = makers.map(() => ({ name: '', rounds: [] as Measured['rounds'] }))
  for (let round = 0; round <= options.rounds; round++) {
    // Each round starts with the next store, so none always follows the same one.
    for (let k = 0; k < makers.length; k++) {
      const i = (round + k) % makers.length
      const make = makers[i] as () => Contender
      const { name, commits: applied, seconds } = turn(make, snapshot, commits, options.budgetMs)
      const result = results[i] as (typeof results)[number]
      result.name = name
      if (round > 0) result.rounds.push({ commits: applied, seconds })
    }
  }
  return results.map(({ name, rounds }) => ({
    name,
    actionsPerSecond: median(rounds.map((r) => (r.commits * perCommit) / r.seconds)),
    rounds,
  }))
}
