// The commit log: the transactional outbox and the history clients resume from.
import type { Action } from '../../actions/index.js'
import type { Db } from './open.js'

/** A commit as stored: `actions` is its JSON, `users` the private audiences (`,a,b,` or ``). */
export interface LogRow {
  seq: number
  at: number
  actions: string
  users: string
}

export const createLogRows = (db: Db) => {
  const headStmt = db.prepare('SELECT coalesce(max(seq), 0) FROM commits').pluck()
  const tailStmt = db.prepare('SELECT min(seq) FROM commits').pluck()
  const appendStmt = db.prepare('INSERT INTO commits (seq, at, actions, users) VALUES (?, ?, ?, ?)')
  const afterStmt = db.prepare(
    'SELECT seq, at, actions, users FROM commits WHERE seq > ? ORDER BY seq LIMIT ?',
  )
  const compactStmt = db.prepare('DELETE FROM commits WHERE seq < ?')

  return {
    /** The newest seq, 0 for an empty log. */
    head: () => headStmt.get() as number,
    /** The oldest retained seq, or null when the log is empty. */
    tail: () => tailStmt.get() as number | null,
    append(seq: number, at: number, actions: readonly Action[], users: readonly string[]): void {
      appendStmt.run(seq, at, JSON.stringify(actions), users.length ? `,${users.join(',')},` : '')
    },
    after: (seq: number, limit: number) => afterStmt.all(seq, limit) as LogRow[],
    /** Drops commits older than `keepFrom`. */
    compact: (keepFrom: number) => compactStmt.run(keepFrom).changes,
  }
}

export type LogRows = ReturnType<typeof createLogRows>
