// The store benchmark's workload: a 10k-product snapshot and commits of stock changes, the
// figures every store must end with, and the same commits as server-sent event text.
import type { Commit, Product, SnapshotEventData } from '../../src/actions/index.js'

export const snapshotOf = (products: number): SnapshotEventData => ({
  epoch: 'benchepoch01',
  seq: 0,
  serverTime: Date.now(),
  reason: 'initial',
  products: Array.from(
    { length: products },
    (_, i): Product => ({
      sku: `sku-${i}`,
      title: `Product ${i}`,
      priceCents: 100 + i,
      onHand: 1_000,
      held: 0,
      version: 1,
    }),
  ),
  cart: [],
  orders: [],
})

/** `count` commits of `size` stock/changed actions on pseudo-random skus, versions rising. */
export const commitsOf = (count: number, size: number, products: number): Commit[] => {
  const versions = new Array<number>(products).fill(1)
  let x = 42
  const commits: Commit[] = []
  for (let seq = 1; seq <= count; seq++) {
    const actions: Commit['actions'] = []
    for (let a = 0; a < size; a++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31
      const i = x % products
      versions[i] = (versions[i] ?? 1) + 1
      actions.push({
        type: 'stock/changed',
        payload: { sku: `sku-${i}`, onHand: 1_000, held: (seq + a) % 7, version: versions[i] ?? 2 },
      })
    }
    commits.push({ seq, at: seq, actions })
  }
  return commits
}

/** What the benchmark checks of each product. */
export interface Figures {
  onHand: number
  held: number
  version: number
  available: number
}

/** Every product's figures after `commits` on top of `snapshot`, by the protocol's version rule. */
export const expectedFigures = (
  snapshot: SnapshotEventData,
  commits: readonly Commit[],
): Map<string, Figures> => {
  const figures = new Map<string, Figures>()
  for (const { sku, onHand, held, version } of snapshot.products) {
    figures.set(sku, { onHand, held, version, available: Math.max(0, onHand - held) })
  }
  for (const commit of commits) {
    for (const action of commit.actions) {
      if (action.type !== 'stock/changed') continue
      const { sku, onHand, held, version } = action.payload
      const now = figures.get(sku)
      if (now === undefined || version <= now.version) continue
      figures.set(sku, { onHand, held, version, available: Math.max(0, onHand - held) })
    }
  }
  return figures
}

/** The stream the server would send: the snapshot event, then one event per commit. */
export const eventStreamOf = (snapshot: SnapshotEventData, commits: readonly Commit[]): string => {
  const id = (seq: number) => `${snapshot.epoch}:${seq}`
  const parts = [`event: snapshot\nid: ${id(snapshot.seq)}\ndata: ${JSON.stringify(snapshot)}\n\n`]
  for (const commit of commits)
    parts.push(`id: ${id(commit.seq)}\ndata: ${JSON.stringify(commit)}\n\n`)
  return parts.join('')
}
