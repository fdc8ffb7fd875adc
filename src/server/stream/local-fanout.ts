// The in-process fan-out: catch-up reads the log in pages, then the stream joins the live set.
// better-sqlite3 is synchronous and publish runs right after each commit, so reading the last
// page and joining the live set in the same tick leaves no gap for a commit to slip through.
import type { LogRow } from '../db/log.js'
import type { Fanout, FanoutInput, Subscriber } from './fanout.js'
import { type CommitFrames, framesOfCommit, framesOfLogRow } from './frames.js'

/**
 * Frames of the latest commits, by seq, for streams catching up: after a restart every client
 * resumes through the same last commits, and each would otherwise parse and filter them again.
 */
const RECENT_FRAMES = 32

export interface LocalFanoutOptions extends FanoutInput {
  /**
   * Bytes sent to a stream catching up before the pump yields (and waits for it to drain when
   * congested); default 256 KiB, a quarter of the default hard bound of a stream's queue.
   */
  burstBytes?: number
}

export const createLocalFanout = ({
  epoch,
  log,
  pageSize,
  burstBytes = 256 * 1024,
}: LocalFanoutOptions): Fanout => {
  const live = new Set<Subscriber>()
  // Streams still reading the log; each holds its own pump until it joins `live`.
  const catchingUp = new Set<Subscriber>()
  const recent = new Map<number, CommitFrames>()
  const remember = (frames: CommitFrames): CommitFrames => {
    recent.set(frames.seq, frames)
    if (recent.size > RECENT_FRAMES) recent.delete(recent.keys().next().value as number)
    return frames
  }
  const framesOfRow = (row: LogRow): CommitFrames =>
    recent.get(row.seq) ?? remember(framesOfLogRow(epoch, row))

  return {
    get size() {
      return live.size
    },
    head: () => log.head(),
    tail: () => log.tail(),

    publish(commit) {
      const frames = remember(framesOfCommit(epoch, commit))
      if (live.size === 0) return
      for (const subscriber of live) {
        const frame = frames.forUser(subscriber.user)
        if (frame) subscriber.send(frame)
      }
    },

    subscribe(subscriber, afterSeq) {
      catchingUp.add(subscriber)
      let cursor = afterSeq
      const pump = (): void => {
        if (!catchingUp.has(subscriber)) return
        const rows = log.after(cursor, pageSize)
        if (rows.length > 0 && rows[0]?.seq !== cursor + 1) {
          // The log was compacted past this reader while it caught up: it must start over.
          catchingUp.delete(subscriber)
          subscriber.end('log-compacted')
          return
        }
        let bytes = 0
        let done = 0
        for (const row of rows) {
          const frame = framesOfRow(row).forUser(subscriber.user)
          if (frame) {
            subscriber.send(frame)
            bytes += frame.length
          }
          cursor = row.seq
          done += 1
          // Sending can end the stream (a reader over its bound), which unsubscribes it.
          if (!catchingUp.has(subscriber)) return
          // A page of big commits queued at once could pass the reader's hard bound and end a
          // stream that is only catching up: a burst stops at `burstBytes`, whatever the page.
          if (bytes >= burstBytes) break
        }
        if (done === rows.length && rows.length < pageSize) {
          catchingUp.delete(subscriber)
          live.add(subscriber)
          return
        }
        if (subscriber.congested()) subscriber.onDrain(pump)
        else setImmediate(pump)
      }
      pump()
    },

    unsubscribe(subscriber) {
      catchingUp.delete(subscriber)
      live.delete(subscriber)
    },
  }
}
