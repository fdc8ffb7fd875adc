// How often the writer compacts: every quarter of the retention (each compaction rewrites the whole
// retained base, so it runs in batches), at least every 256 commits, at most every `retain`.
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/server/clock.js'
import { compactionInterval, createWriter } from '../../src/server/commands/writer.js'
import { openDb } from '../../src/server/db/open.js'
import { createRows } from '../../src/server/db/rows.js'

describe('compaction cadence', () => {
  it.each([
    [3, 3],
    [50, 50],
    [1_000, 256],
    [100_000, 25_000],
  ])('with %i commits retained, compacts every %i commits', (retain, every) => {
    expect(compactionInterval(retain)).toBe(every)
  })

  it('folds a batch once the log is a quarter past the retention, keeping `retain` commits', () => {
    const { db } = openDb(':memory:')
    const rows = createRows(db)
    const compactions: Array<{ head: number; keepFrom: number }> = []
    const retain = 2_048
    const writer = createWriter({
      db,
      rows,
      clock: systemClock,
      publish: () => {},
      retain,
      compact: (keepFrom) => compactions.push({ head: rows.log.head(), keepFrom }),
    })
    for (let i = 0; i < 3_584; i++) {
      writer.run((tx) => {
        tx.emit({ type: 'product/removed', payload: { sku: `s${i}`, version: 1 } })
        tx.commit()
      })
    }
    // Checked every 512 commits; the first check past the retention is at 2,560.
    expect(compactions).toEqual([
      { head: 2_560, keepFrom: 2_560 - retain + 1 },
      { head: 3_072, keepFrom: 3_072 - retain + 1 },
      { head: 3_584, keepFrom: 3_584 - retain + 1 },
    ])
    db.close()
  })
})
