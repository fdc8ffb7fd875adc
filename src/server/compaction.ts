// Log compaction: commits older than the retention are folded into the retained base (the state
// after the last folded commit, settled orders left out: they never change again) and deleted, so
// the log stays bounded and still replays.
import type { Action } from '../actions/index.js'
import type { Db } from './db/open.js'
import type { Rows } from './db/rows.js'
import { applyCommit, emptyReplayState, type ReplayState } from './replay.js'

export const createCompactor = (db: Db, rows: Rows) => {
  const baseStmt = db.prepare('SELECT seq, state FROM log_base WHERE id = 1')
  const saveStmt = db.prepare(
    `INSERT INTO log_base (id, seq, state) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, state = excluded.state`,
  )
  /** Folds every commit before `keepFrom` into the base and deletes it. Call inside a transaction. */
  return (keepFrom: number): void => {
    const row = baseStmt.get() as { seq: number; state: string } | undefined
    const state: ReplayState = row ? JSON.parse(row.state) : emptyReplayState()
    if (state.seq >= keepFrom - 1) return
    // A base saved by an earlier version kept settled orders too: they go now.
    for (const [id, order] of Object.entries(state.orders)) {
      if (order.status !== 'pending') delete state.orders[id]
    }
    for (;;) {
      const page = rows.log.after(state.seq, 1_000).filter((commit) => commit.seq < keepFrom)
      if (page.length === 0) break
      for (const commit of page)
        applyCommit(state, commit.seq, JSON.parse(commit.actions) as Action[])
    }
    saveStmt.run(state.seq, JSON.stringify(state))
    rows.log.compact(keepFrom)
  }
}
