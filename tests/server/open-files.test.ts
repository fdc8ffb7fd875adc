// Fitting `npm start`'s connection and stream caps under the process's open-file limit.
import { describe, expect, it } from 'vitest'
import { connectionRoom, parseOpenFileLimit, RESERVED_FILES } from '../../src/server/open-files.js'

const WANTED = { maxConnections: 25_000, streamsTotal: 20_000 }

describe('open-file limit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max processes             unlimited            unlimited            processes ',
      'Max open files            1024                 524288               files     ',
    ].join('\n')
    expect(parseOpenFileLimit(limits)).toBe(1024)
    expect(parseOpenFileLimit('Max processes 10 10')).toBeNull()
  })

  it('keeps the wanted caps when the limit leaves room for them, or cannot be read', () => {
    expect(connectionRoom(WANTED, 25_000 + RESERVED_FILES)).toEqual(WANTED)
    expect(connectionRoom(WANTED, null)).toEqual(WANTED)
  })

  it('lowers both caps under a smaller limit, leaving streams short of every connection', () => {
    expect(connectionRoom(WANTED, 20_000)).toMatchObject({
      maxConnections: 19_744,
      streamsTotal: 18_744,
    })
    const small = connectionRoom(WANTED, 1024)
    expect(small).toMatchObject({ maxConnections: 768, streamsTotal: 576 })
    expect(small.note).toBe(
      'Open-file limit 1024: accepting at most 768 connections and 576 streams; ' +
        'raise it (ulimit -n 25256) for 25000 and 20000.',
    )
  })

  it('says why it cannot serve when the limit leaves fewer than 64 connections', () => {
    expect(connectionRoom(WANTED, 256 + 64)).toMatchObject({ maxConnections: 64, streamsTotal: 48 })
    expect(connectionRoom(WANTED, 256 + 63).tooFew).toBe(
      'the open-file limit is 319, which leaves room for 63 connections (256 files are kept ' +
        'back, and at least 64 connections are needed); raise it (ulimit -n 25256)',
    )
    expect(connectionRoom(WANTED, 100).tooFew).toContain('leaves room for 0 connections')
  })
})
