// What a benchmark suite is: a name, a one-line summary and a run that returns a table and data.

export interface SuiteOptions {
  /** A few seconds per case, no timing claims: the CI smoke test. */
  quick: boolean
  /** Write CPU profiles of the servers under bench/results/profiles. */
  profile: boolean
  /** Every other `--name=value` flag, for the suite to read (e.g. fanout's `--clients=1000`). */
  flags: ReadonlyMap<string, string>
}

export type Cell = string | number | null

export interface SuiteResult {
  /** Column keys in print order, with their headings. */
  columns: ReadonlyArray<{ key: string; title: string }>
  rows: ReadonlyArray<Record<string, Cell>>
  /** Lines printed under the table (skipped cases, how to read it). */
  notes: readonly string[]
  /** Everything measured, for the JSON file. */
  data: unknown
  /** Cases that failed (their errors are in the notes); the run then exits non-zero. */
  failed?: number
}

export interface Suite {
  name: string
  summary: string
  run(options: SuiteOptions): Promise<SuiteResult>
}
