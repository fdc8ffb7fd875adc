// Online backups: a consistent copy of a live database (SQLite's backup API), marked so that the
// first server to open it takes a new epoch. A restored backup is an older history; a new epoch
// makes every client reset with a snapshot instead of resuming from a position it no longer has.
import Database from 'better-sqlite3'
import { NEW_EPOCH_FLAG, writeMeta } from './db/open.js'

export const backupDb = async (
  source: string,
  destination: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ pages: number }> => {
  const db = new Database(source, { readonly: true, fileMustExist: true })
  let pages: number
  try {
    ;({ totalPages: pages } = await db.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages)
        return 1_000
      },
    }))
  } finally {
    db.close()
  }
  const copy = new Database(destination)
  try {
    writeMeta(copy, NEW_EPOCH_FLAG, new Date().toISOString())
  } finally {
    copy.close()
  }
  return { pages }
}
