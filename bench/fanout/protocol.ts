// Messages between the fan-out parent and its client processes (over the IPC channel).
import type { HistogramData } from './histogram.js'

/** What to connect to; tokens, when given, become one `Authorization: Bearer` per connection. */
export interface OpenCommand {
  type: 'open'
  port: number
  path: string
  headers: Record<string, string>
  count: number
  tokens?: string[]
  /** Connections being set up at once by this process. */
  concurrency: number
}

export type ToClient =
  | OpenCommand
  /** Starts a measurement phase: counters back to zero. */
  | { type: 'reset' }
  /** Progress reports every `intervalMs`, or none when 0. */
  | { type: 'progress'; intervalMs: number }
  | { type: 'report' }
  | { type: 'close' }

/** One commit as this process saw it: [seq, connections that got it, last arrival ms, at ms]. */
export type SeqStat = [number, number, number, number]

export interface ClientReport {
  type: 'report'
  /** Commit events received since the last reset, and their bytes (whole stream). */
  deliveries: number
  bytes: number
  /** Socket reads that brought them: deliveries / reads shows how many events came together. */
  reads: number
  latency: HistogramData
  seqs: SeqStat[]
  /** Fewest commit events any one connection received since the reset. */
  minCount: number
  /** Connections that closed while the bench still wanted them. */
  dropped: number
}

export type FromClient =
  | { type: 'opened'; ok: number; failed: number; retries: number; firstError: string | null }
  | { type: 'progress'; deliveries: number; minCount: number; dropped: number }
  | ClientReport
