// Latency histogram with 1% wide log buckets from 10 µs to 100 s: cheap to record in a client
// process, small to send to the parent, exact enough for p50/p99 (the max is kept exactly).

const FLOOR_MS = 0.01
const GROWTH = 1.01
const LOG_GROWTH = Math.log(GROWTH)
const BUCKETS = Math.ceil(Math.log(100_000 / FLOOR_MS) / LOG_GROWTH) + 1

export interface Histogram {
  record(ms: number): void
  /** Non-empty buckets as [index, count] pairs, plus the exact max. */
  toJSON(): HistogramData
  merge(data: HistogramData): void
  percentile(p: number): number | null
  readonly count: number
  readonly max: number
}

export interface HistogramData {
  buckets: Array<[number, number]>
  max: number
}

export const createHistogram = (): Histogram => {
  const counts = new Float64Array(BUCKETS)
  let count = 0
  let max = Number.NEGATIVE_INFINITY
  const indexOf = (ms: number) =>
    ms <= FLOOR_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GROWTH))
  return {
    record(ms) {
      const i = indexOf(ms)
      counts[i] = (counts[i] ?? 0) + 1
      count++
      if (ms > max) max = ms
    },
    toJSON() {
      const buckets: Array<[number, number]> = []
      counts.forEach((n, i) => {
        if (n > 0) buckets.push([i, n])
      })
      return { buckets, max }
    },
    merge(data) {
      for (const [i, n] of data.buckets) {
        counts[i] = (counts[i] ?? 0) + n
        count += n
      }
      if (data.max > max) max = data.max
    },
    percentile(p) {
      if (count === 0) return null
      const rank = Math.ceil((p / 100) * count)
      let seen = 0
      for (let i = 0; i < BUCKETS; i++) {
        seen += counts[i] ?? 0
        // The bucket's upper edge, but never above the largest value seen.
        if (seen >= rank) return Math.min(FLOOR_MS * GROWTH ** i, max)
      }
      return max
    },
    get count() {
      return count
    },
    get max() {
      return count === 0 ? 0 : max
    },
  }
}
