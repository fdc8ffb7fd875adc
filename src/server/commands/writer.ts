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
  /** Runs after every transaction that committed (e.g. to re-aim the expiry timer). */
  after?: () => void
  /** Commits kept in the log; older ones are compacted away. */
  retain: number
  /** Drops the commits before `keepFrom` (inside the transaction). */
  compact: (keepFrom: number) => void
}

const COMPACT_EVERY = 256

export const createWriter = (options: WriterOptions) => {
  const { db, rows, clock, before, publish, after, retain, compact } = options
  let sinceCompaction = 0

  // Nested inside `transaction`, better-sqlite3 runs this as a SAVEPOINT.
  const savepoint = db.transaction(<T>(fn: () => T): T => fn())
  const transaction = db.transaction(<T>(work: (tx: Tx) => T) => {
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
    // The command runs in a savepoint: if it is refused, what `before` released still commits.
    const released = commits.length
    const headBefore = head
    let outcome: { ok: true; result: T } | { ok: false; error: unknown }
    try {
      outcome = {
        ok: true,
        result: savepoint(() => {
          const result = work(tx)
          tx.commit()
          return result
        }) as T,
      }
    } catch (error) {
      if (released === 0) throw error
      commits.length = released
      head = headBefore
      pending = []
      outcome = { ok: false, error }
    }
    sinceCompaction += commits.length
    if (sinceCompaction >= Math.min(COMPACT_EVERY, retain)) {
      sinceCompaction = 0
      if (head - retain + 1 > 1) compact(head - retain + 1)
    }
    return { outcome, commits }
  })

  return {
    /**
     * Runs `work` in one write transaction. If it throws, nothing it did is changed or published
     * (lapsed holds released first in the same transaction are kept, then the error is rethrown).
     * @example writer.run((tx) => setCartLine(tx, { user: 'ann', sku: 'tee', qty: 1 }, limits))
     */
    run<T>(work: (tx: Tx) => T): { result: T; commits: CommitRecord[] } {
      const { outcome, commits } = transaction.immediate(work) as {
        outcome: { ok: true; result: T } | { ok: false; error: unknown }
        commits: CommitRecord[]
      }
      for (const commit of commits) publish(commit)
      after?.()
      if (!outcome.ok) throw outcome.error
      return { result: outcome.result, commits }
    },
  }
}

export type Writer = ReturnType<typeof createWriter>
