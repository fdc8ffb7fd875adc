// The writer on its own (no HTTP, no fan-out) over a database file, for tests of the writer and
// the resume bench's seeding: nothing published, nothing compacted, unless the caller says so.
import { systemClock } from '../../src/server/clock.js'
import { createWriter, type WriterOptions } from '../../src/server/commands/writer.js'
import { openDb } from '../../src/server/db/open.js'
import { createRows } from '../../src/server/db/rows.js'

export const openWriter = (
  file: string,
  options: Partial<Pick<WriterOptions, 'publish' | 'retain' | 'compact'>> = {},
) => {
  const { db } = openDb(file)
  const rows = createRows(db)
  const writer = createWriter({
    db,
    rows,
    clock: systemClock,
    publish: () => {},
    retain: Number.MAX_SAFE_INTEGER,
    compact: () => {},
    ...options,
  })
  return { db, rows, writer }
}
