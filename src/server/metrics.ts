// Operating figures in the Prometheus text format: streams, commits, fan-out time, slow readers
// disconnected, command latency, hold and order expiries.
import type { CommitRecord } from './commands/writer.js'

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

const createHistogram = () => {
  const counts = new Array<number>(BUCKETS.length).fill(0)
  let sum = 0
  let count = 0
  return {
    observe(seconds: number) {
      const at = BUCKETS.findIndex((le) => seconds <= le)
      if (at >= 0) counts[at] = (counts[at] ?? 0) + 1
      sum += seconds
      count++
    },
    render(name: string, help: string): string {
      let cumulative = 0
      const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`]
      BUCKETS.forEach((le, i) => {
        cumulative += counts[i] ?? 0
        lines.push(`${name}_bucket{le="${le}"} ${cumulative}`)
      })
      lines.push(
        `${name}_bucket{le="+Inf"} ${count}`,
        `${name}_sum ${sum}`,
        `${name}_count ${count}`,
      )
      return lines.join('\n')
    },
  }
}

const scalar = (name: string, type: 'gauge' | 'counter', help: string, value: number) =>
  `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}`

export interface LiveFigures {
  openStreams: number
  liveStreams: number
  slowReadersDisconnected: number
  headSeq: number
}

export const createMetrics = () => {
  let commits = 0
  let transactions = 0
  let holdExpiries = 0
  let orderExpiries = 0
  const commandSeconds = createHistogram()
  const fanoutSeconds = createHistogram()

  return {
    /** Counts a published commit and how long handing it to the streams took. */
    committed(commit: CommitRecord, fanoutSecondsTaken: number): void {
      commits++
      fanoutSeconds.observe(fanoutSecondsTaken)
      for (const action of commit.actions) {
        if (action.type === 'cart/line-removed' && action.payload.reason === 'expired')
          holdExpiries++
        else if (action.type === 'order/expired') orderExpiries++
      }
    },
    commandTook: (seconds: number) => commandSeconds.observe(seconds),
    /** Counts a write transaction that committed (one fsync; group commit puts several commands in one). */
    transactionCommitted: () => {
      transactions++
    },
    render(live: LiveFigures): string {
      return `${[
        scalar('shelfsync_open_streams', 'gauge', 'Open event streams.', live.openStreams),
        scalar(
          'shelfsync_live_streams',
          'gauge',
          'Streams past catch-up, receiving live commits.',
          live.liveStreams,
        ),
        scalar('shelfsync_head_seq', 'gauge', 'The newest commit.', live.headSeq),
        scalar('shelfsync_commits_total', 'counter', 'Commits published since start.', commits),
        scalar(
          'shelfsync_write_transactions_total',
          'counter',
          'Write transactions that made commits, since start (group commit: fewer than commits).',
          transactions,
        ),
        scalar(
          'shelfsync_slow_readers_disconnected_total',
          'counter',
          'Streams ended because their send queue passed its bound.',
          live.slowReadersDisconnected,
        ),
        scalar(
          'shelfsync_hold_expiries_total',
          'counter',
          'Cart holds released because they lapsed.',
          holdExpiries,
        ),
        scalar(
          'shelfsync_order_expiries_total',
          'counter',
          'Pending orders that lapsed.',
          orderExpiries,
        ),
        fanoutSeconds.render(
          'shelfsync_fanout_seconds',
          'Time to hand one commit to every live stream (fan-out lag).',
        ),
        commandSeconds.render('shelfsync_command_seconds', 'Write commands, request to answer.'),
      ].join('\n')}\n`
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
