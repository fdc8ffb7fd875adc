// The parent's side of the load: client processes pinned to the load core, each holding its
// share of the SSE connections, and their counts merged into one view.
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LOAD_CORE, spawnPinned } from '../lib/proc.js'
import { createHistogram, type Histogram } from './histogram.js'
import type { ClientReport, FromClient, SeqStat, ToClient } from './protocol.js'

const CLIENT = fileURLToPath(new URL('./client.ts', import.meta.url))

export interface FleetTarget {
  port: number
  path: string
  headers: Record<string, string>
  /** One per connection (Shelfsync's bearer tokens). */
  tokens?: string[]
}

export interface FleetReport {
  deliveries: number
  bytes: number
  reads: number
  latency: Histogram
  /** Per commit: connections that got it, last arrival and `at`. */
  seqs: Map<number, { count: number; last: number; at: number }>
  minCount: number
  dropped: number
}

export interface Progress {
  deliveries: number
  minCount: number
  dropped: number
}

interface Waiter {
  resolve(message: FromClient): void
  reject(error: Error): void
}

interface Member {
  child: ChildProcess
  progress: Progress
  /** Answers come back in the order asked. */
  waiting: Waiter[]
}

export const startFleet = async (input: {
  clients: number
  perProcess: number
  target: FleetTarget
  /** Gives up on connecting after this long. */
  timeoutMs: number
}) => {
  const processes = Math.max(2, Math.ceil(input.clients / input.perProcess))
  const members: Member[] = []
  const progressListeners = new Set<(progress: Progress) => void>()

  const total = (): Progress => {
    let deliveries = 0
    let minCount = Number.POSITIVE_INFINITY
    let dropped = 0
    for (const member of members) {
      deliveries += member.progress.deliveries
      minCount = Math.min(minCount, member.progress.minCount)
      dropped += member.progress.dropped
    }
    return { deliveries, minCount, dropped }
  }

  for (let i = 0; i < processes; i++) {
    const child = spawnPinned(LOAD_CORE, process.execPath, ['--import', 'tsx', CLIENT], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const member: Member = {
      child,
      progress: { deliveries: 0, minCount: 0, dropped: 0 },
      waiting: [],
    }
    child.on('message', (message: FromClient) => {
      if (message.type === 'progress') {
        member.progress = message
        const now = total()
        for (const listener of progressListeners) listener(now)
      } else member.waiting.shift()?.resolve(message)
    })
    child.once('exit', (code, signal) => {
      const error = new Error(`a client process exited (${signal ?? code}) during the trial`)
      for (const waiter of member.waiting.splice(0)) waiter.reject(error)
    })
    members.push(member)
  }

  const ask = <T extends FromClient>(member: Member, message: ToClient, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`client process did not answer "${message.type}"`)),
        timeoutMs,
      )
      member.waiting.push({
        resolve: (answer) => {
          clearTimeout(timer)
          resolve(answer as T)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      member.child.send(message)
    })
  const broadcast = (message: ToClient) => {
    for (const member of members) member.child.send(message)
  }

  // Connections are dealt out evenly; each process opens its share a few dozen at a time.
  const shares = members.map(
    (_, i) => Math.floor(input.clients / processes) + (i < input.clients % processes ? 1 : 0),
  )
  let offset = 0
  const killAll = () => {
    for (const member of members) member.child.kill('SIGKILL')
  }
  const opened = await Promise.all(
    members.map((member, i) => {
      const count = shares[i] ?? 0
      const tokens = input.target.tokens?.slice(offset, offset + count)
      offset += count
      return ask<Extract<FromClient, { type: 'opened' }>>(
        member,
        { type: 'open', ...input.target, tokens, count, concurrency: 64 },
        input.timeoutMs,
      )
    }),
  ).catch((error: unknown) => {
    killAll()
    throw error
  })
  const ok = opened.reduce((sum, o) => sum + o.ok, 0)
  const failed = opened.reduce((sum, o) => sum + o.failed, 0)
  const retries = opened.reduce((sum, o) => sum + o.retries, 0)
  const firstError = opened.find((o) => o.firstError)?.firstError ?? null

  return {
    processes,
    pids: members.map((member) => member.child.pid as number),
    ok,
    failed,
    retries,
    firstError,
    reset: () => broadcast({ type: 'reset' }),
    progress(intervalMs: number, listener?: (progress: Progress) => void) {
      progressListeners.clear()
      if (listener) progressListeners.add(listener)
      for (const member of members) member.progress = { deliveries: 0, minCount: 0, dropped: 0 }
      broadcast({ type: 'progress', intervalMs })
    },
    total,
    async report(): Promise<FleetReport> {
      const reports = await Promise.all(
        members.map((member) => ask<ClientReport>(member, { type: 'report' }, 30_000)),
      )
      const latency = createHistogram()
      const seqs: FleetReport['seqs'] = new Map()
      const merge = ([seq, count, last, at]: SeqStat) => {
        const known = seqs.get(seq)
        if (!known) seqs.set(seq, { count, last, at })
        else {
          known.count += count
          known.last = Math.max(known.last, last)
        }
      }
      for (const report of reports) {
        latency.merge(report.latency)
        report.seqs.forEach(merge)
      }
      return {
        deliveries: reports.reduce((sum, r) => sum + r.deliveries, 0),
        bytes: reports.reduce((sum, r) => sum + r.bytes, 0),
        reads: reports.reduce((sum, r) => sum + r.reads, 0),
        latency,
        seqs,
        minCount: Math.min(...reports.map((r) => r.minCount)),
        dropped: reports.reduce((sum, r) => sum + r.dropped, 0),
      }
    },
    async close() {
      await Promise.all(
        members.map(
          (member) =>
            new Promise<void>((resolve) => {
              if (member.child.exitCode !== null) return resolve()
              const timer = setTimeout(() => member.child.kill('SIGKILL'), 5_000)
              member.child.once('exit', () => {
                clearTimeout(timer)
                resolve()
              })
              try {
                member.child.send({ type: 'close' } satisfies ToClient)
              } catch {
                member.child.kill('SIGKILL')
              }
            }),
        ),
      )
    },
  }
}

export type Fleet = Awaited<ReturnType<typeof startFleet>>
