// The write path: one `BEGIN IMMEDIATE` transaction changes the rows and appends the commits of
// actions to the log (the transactional outbox); only after it commits are they handed on.
import { type Action, audienceOf } from '../../actions/index.js'
import type { Clock } from '../clock.js'
import type { Db } from '../db/open.js'
import type { Rows } from '../db/rows.js'

/** A commit as it leaves the writer: what the fan-out publishes. */
export interface CommitRecord {
  seq: number
  at: number
  actions: Action[]
  /** Users with private actions in this commit. */
  users: string[]
}

/** What a command sees inside its transaction. */
export interface Tx {
  /** The clock, read once when the transaction began. */
  readonly now: number
  readonly rows: Rows
  /** Adds an action to the commit being built. */
  emit(action: Action): void
  /**
   * Closes the actions emitted so far into one commit and returns its seq; with no actions it
   * appends nothing and returns the newest seq.
   */
  commit(): number
}

export interface WriterOptions {
  db: Db
  rows: Rows
  clock: Clock
  /** Runs first in every transaction, in a commit of its own (releasing lapsed holds). */
  before?: (tx: Tx) => void
  /** Receives the commits after the transaction has committed. */
  publish: (commit: CommitRecord) => void
  /**
   * Runs after every transaction that committed, with how many commits it made: 0 for one that
   * wrote rows but no commit (e.g. to re-aim the expiry timer either way).
   */
  after?: (commits: number) => void
  /** Commits kept in the log; older ones are compacted away. */
  retain: number
  /** Drops the commits before `keepFrom` (inside the transaction). */
  compact: (keepFrom: number) => void
}

/**
 * How many commits past the retention the log may grow before a compaction folds them away: a
 * quarter of the retention (at least 256, at most the retention). Each compaction reads and writes
 * the whole retained base (every product, cart line and pending order), so it runs in batches, not
 * every few commits. Decided from the log's own length, so restarts do not put it off.
 */
export const compactionInterval = (retain: number): number =>
  Math.min(retain, Math.max(256, Math.floor(retain / 4)))

type Outcome<T> = { ok: true; result: T } | { ok: false; error: unknown }

export const createWriter = (options: WriterOptions) => {
  const { db, rows, clock, before, publish, after, retain, compact } = options

  // Nested inside `transaction`, better-sqlite3 runs this as a SAVEPOINT.
  const savepoint = db.transaction(<T>(fn: () => T): T => fn())

  /**
   * One write transaction for a group of works: `before` first, then each work in a savepoint of
   * its own, so a refused work undoes only itself. One commit, one fsync, for the whole group.
   */
  const transaction = db.transaction((works: ReadonlyArray<(tx: Tx) => unknown>) => {
    const now = clock.now()
    let head = rows.log.head()
    let pending: Action[] = []
    const commits: CommitRecord[] = []
    const tx: Tx = {
      now,
      rows,
      emit: (action) => void pending.push(action),
      commit() {
        if (pending.length === 0) return head
        head += 1
        const users = [...new Set(pending.map(audienceOf).filter((u) => u !== null))]
        rows.log.append(head, now, pending, users)
        commits.push({ seq: head, at: now, actions: pending, users })
        pending = []
        return head
      },
    }
    if (before) {
      before(tx)
      tx.commit()
    }
    const outcomes: Outcome<unknown>[] = []
    for (const work of works) {
      const kept = commits.length
      const headBefore = head
      try {
        outcomes.push({
          ok: true,
          result: savepoint(() => {
            const result = work(tx)
            tx.commit()
            return result
          }),
        })
      } catch (error) {
        // Some errors (SQLITE_FULL, IOERR, NOMEM, BUSY) end the whole transaction, not just the
        // savepoint: the rest of the group would run in autocommit. Fail the group instead.
        if (!db.inTransaction) throw error
        commits.length = kept
        head = headBefore
        pending = []
        outcomes.push({ ok: false, error })
      }
    }
    if (commits.length === 0 && outcomes.every((o) => !o.ok)) {
      // Nothing to keep: end the transaction without writing.
      throw new GroupRefused(outcomes)
    }
    const tail = commits.length > 0 ? rows.log.tail() : null
    if (tail !== null && head - tail + 1 >= retain + compactionInterval(retain)) {
      compact(head - retain + 1)
    }
    return { outcomes, commits }
  })

  const runGroup = (works: ReadonlyArray<(tx: Tx) => unknown>) => {
    let out: { outcomes: Outcome<unknown>[]; commits: CommitRecord[] }
    try {
      out = transaction.immediate(works) as typeof out
    } catch (error) {
      if (error instanceof GroupRefused) return { outcomes: error.outcomes, commits: [] }
      throw error
    }
    for (const commit of out.commits) publish(commit)
    after?.(out.commits.length)
    return out
  }

  // Group commit: commands that arrive in the same turn of the event loop share a transaction.
  let queue: Array<{
    work: (tx: Tx) => unknown
    resolve: (value: unknown) => void
    reject: (error: unknown) => void
  }> = []
  const flush = () => {
    const batch = queue
    if (batch.length === 0) return // flushed already (flushQueued, at shutdown)
    queue = []
    let outcomes: Outcome<unknown>[]
    try {
      outcomes = runGroup(batch.map((entry) => entry.work)).outcomes
    } catch (error) {
      for (const entry of batch) entry.reject(error)
      return
    }
    outcomes.forEach((outcome, i) => {
      const entry = batch[i]
      if (!entry) return
      if (outcome.ok) entry.resolve(outcome.result)
      else entry.reject(outcome.error)
    })
  }

  return {
    /**
     * Runs `work` in one write transaction, now. If it throws, nothing it did is changed or
     * published (lapsed holds released first in the same transaction are kept), and the error
     * is rethrown.
     * @example writer.run((tx) => setCartLine(tx, { user: 'ann', sku: 'tee', qty: 1 }, limits))
     */
    run<T>(work: (tx: Tx) => T): { result: T; commits: CommitRecord[] } {
      const { outcomes, commits } = runGroup([work])
      const outcome = outcomes[0] as Outcome<T>
      if (!outcome.ok) throw outcome.error
      return { result: outcome.result, commits }
    },

    /**
     * Like `run`, but joins the other works queued in this turn of the event loop into one
     * transaction (group commit: one fsync for all). Resolves once the group is on disk.
     */
    runGrouped<T>(work: (tx: Tx) => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush)
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      })
    },

    /**
     * Carries out the works queued for the next group now, not in the next turn: before the
     * database closes, so that commands accepted while draining commit instead of failing.
     */
    flushQueued: flush,
  }
}

/** Thrown out of the transaction when every work of a group was refused: nothing is written. */
class GroupRefused extends Error {
  constructor(readonly outcomes: Outcome<unknown>[]) {
    super('every command of the group was refused')
  }
}

export type Writer = ReturnType<typeof createWriter>
