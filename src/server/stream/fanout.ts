// The fan-out: the log that streams are served from, and how committed commits reach them. A
// small interface, so that the in-process implementation can be joined by one reading a
// distributed log (Redis Streams) when several stream servers share the load behind one writer
// (docs/scaling.md). With `readSnapshot`, it is all a stream needs from the server.
import type { CommitRecord } from '../commands/writer.js'
import type { LogRows } from '../db/log.js'

/** One open stream, as the fan-out sees it. */
export interface Subscriber {
  readonly user: string
  /** Queues a frame; the subscriber applies its own bounds. */
  send(frame: Buffer): void
  /** True while the subscriber's send queue is over its soft bound (catch-up waits). */
  congested(): boolean
  /** Calls `fn` once the send queue has drained. */
  onDrain(fn: () => void): void
  /** Ends the stream; the client reconnects from its last position. */
  end(reason: string): void
}

export interface Fanout {
  /** The last seq it can deliver (0 before the first commit). */
  head(): number
  /** The first seq it can still deliver from the start, or null while it holds none. */
  tail(): number | null
  /** Hands a committed commit to every stream that may see it, in seq order. */
  publish(commit: CommitRecord): void
  /**
   * Sends `subscriber` every commit after `afterSeq` that it may see: first from the log, then
   * live, with nothing lost or doubled in between, until `unsubscribe(subscriber)`.
   */
  subscribe(subscriber: Subscriber, afterSeq: number): void
  /** Stops sending to `subscriber`, caught up or not; does nothing if it is not subscribed. */
  unsubscribe(subscriber: Subscriber): void
  /** Streams receiving live commits. */
  readonly size: number
}

/** What the server hands a fan-out it makes (`createShelfsync({ fanout })`). */
export interface FanoutInput {
  /** The writer's epoch, for the events' ids. */
  epoch: string
  /** The writer's commit log (a stream server fed by another log may ignore it). */
  log: Pick<LogRows, 'after' | 'head' | 'tail'>
  /** Commits read per page during catch-up. */
  pageSize: number
}
