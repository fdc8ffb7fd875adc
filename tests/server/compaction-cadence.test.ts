// How often the writer compacts: once the log is a quarter of the retention past it (each
// compaction rewrites the whole retained base, so it runs in batches), at least 256 and at most
// `retain` commits past it. Decided from the log itself, so restarts do not put it off.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compactionInterval } from '../../src/server/commands/writer.js'
import { openWriter } from '../support/writer.js'

/** A writer on `file` whose compactions drop the log's old commits and are recorded. */
const openCompacting = (file: string, retain: number) => {
  const compactions: Array<{ head: number; keepFrom: number }> = []
  const { db, rows, writer } = openWriter(file, {
    retain,
    compact: (keepFrom) => {
      compactions.push({ head: rows.log.head(), keepFrom })
      rows.log.compact(keepFrom)
    },
  })
  const commitMany = (count: number) => {
    for (let i = 0; i < count; i++) {
      writer.run((tx) => {
        tx.emit({ type: 'product/removed', payload: { sku: `s${i}`, version: 1 } })
        tx.commit()
      })
    }
  }
  const length = () => rows.log.head() - (rows.log.tail() ?? rows.log.head() + 1) + 1
  return { db, compactions, commitMany, length }
}

describe('compaction cadence', () => {
  it.each([
    [3, 3],
    [50, 50],
    [1_000, 256],
    [100_000, 25_000],
  ])('with %i commits retained, lets the log grow %i past it', (retain, every) => {
    expect(compactionInterval(retain)).toBe(every)
  })

  it('folds a batch once the log is a quarter past the retention, keeping `retain` commits', () => {
    const retain = 2_048
    const shop = openCompacting(':memory:', retain)
    shop.commitMany(3_584)
    expect(shop.compactions).toEqual([
      { head: 2_560, keepFrom: 2_560 - retain + 1 },
      { head: 3_072, keepFrom: 3_072 - retain + 1 },
      { head: 3_584, keepFrom: 3_584 - retain + 1 },
    ])
    expect(shop.length()).toBe(retain)
    shop.db.close()
  })

  it('still compacts when the server restarts more often than it would compact', () => {
    const retain = 2_048
    const file = join(mkdtempSync(join(tmpdir(), 'shelfsync-compaction-')), 'shop.db')
    let compacted = 0
    let longest = 0
    for (let restart = 0; restart < 10; restart++) {
      const shop = openCompacting(file, retain)
      shop.commitMany(500)
      compacted += shop.compactions.length
      longest = Math.max(longest, shop.length())
      shop.db.close()
    }
    expect(compacted).toBeGreaterThan(0)
    expect(longest).toBeLessThan(retain + compactionInterval(retain))
  })
})
