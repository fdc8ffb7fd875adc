// The in-process fan-out: catch-up from the log in pages, then live; unsubscribe at any point.
import { describe, expect, it } from 'vitest'
import type { LogRow } from '../../src/server/db/log.js'
import type { Fanout, Subscriber } from '../../src/server/stream/fanout.js'
import { createLocalFanout } from '../../src/server/stream/local-fanout.js'

const EPOCH = 'fanouttest01'
const action = (n: number) => ({
  type: 'stock/changed',
  payload: { sku: 'tea', onHand: n, held: 0, version: n },
})
const rowsUpTo = (head: number): LogRow[] =>
  Array.from({ length: head }, (_, i) => ({
    seq: i + 1,
    at: 1_000 + i,
    actions: JSON.stringify([action(i + 1)]),
    users: '',
  }))

const logOf = (rows: LogRow[]) => ({
  after: (seq: number, limit: number) => rows.filter((row) => row.seq > seq).slice(0, limit),
  head: () => rows.at(-1)?.seq ?? 0,
  tail: () => rows[0]?.seq ?? null,
})

/** A subscriber that records the seqs it was sent and may end itself on a given one. */
const recorder = (fanout: Fanout, options: { endAt?: number } = {}) => {
  const seqs: number[] = []
  const ends: string[] = []
  const subscriber: Subscriber = {
    user: 'ann',
    send(frame) {
      const seq = Number(/"seq":(\d+)/.exec(frame.toString())?.[1])
      seqs.push(seq)
      if (seq === options.endAt) subscriber.end('slow-reader')
    },
    congested: () => false,
    onDrain: () => {},
    end(reason) {
      ends.push(reason)
      fanout.unsubscribe(subscriber)
    },
  }
  return { subscriber, seqs, ends }
}

const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)))

describe('local fan-out', () => {
  it('catches up in pages, then goes live with nothing lost or doubled', async () => {
    const rows = rowsUpTo(7)
    const fanout = createLocalFanout({ epoch: EPOCH, log: logOf(rows), pageSize: 3 })
    const r = recorder(fanout)
    fanout.subscribe(r.subscriber, 2)
    for (let i = 0; i < 5 && fanout.size === 0; i++) await settle()
    expect(fanout.size).toBe(1)
    fanout.publish({ seq: 8, at: 2_000, actions: [action(8)] as never, users: [] })
    expect(r.seqs).toEqual([3, 4, 5, 6, 7, 8])
  })

  it('yields after burstBytes within a page, so big commits cannot overrun a reader catching up', async () => {
    const rows = rowsUpTo(10)
    const frameBytes = Buffer.byteLength(
      `id: ${EPOCH}:1\ndata: {"seq":1,"at":1000,"actions":${rows[0]?.actions}}\n\n`,
    )
    const fanout = createLocalFanout({
      epoch: EPOCH,
      log: logOf(rows),
      pageSize: 5,
      burstBytes: 3 * frameBytes, // three frames per burst
    })
    const seqs: number[] = []
    let congested = true
    let drained: (() => void) | null = null
    const subscriber: Subscriber = {
      user: 'ann',
      send(frame) {
        seqs.push(Number(/"seq":(\d+)/.exec(frame.toString())?.[1]))
      },
      congested: () => congested,
      onDrain(fn) {
        drained = fn
      },
      end() {},
    }
    const drain = () => {
      const resume = drained
      drained = null
      resume?.()
    }
    fanout.subscribe(subscriber, 0)
    expect(seqs).toEqual([1, 2, 3]) // a burst, then it waits: the reader is congested
    drain()
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6])
    congested = false // drained for good: bursts follow each other without waiting
    drain()
    for (let i = 0; i < 5 && fanout.size === 0; i++) await settle()
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(fanout.size).toBe(1)
    fanout.publish({ seq: 11, at: 2_000, actions: [action(11)] as never, users: [] })
    expect(seqs.at(-1)).toBe(11)
  })

  it('a stream that ends during catch-up never joins the live set', async () => {
    const fanout = createLocalFanout({ epoch: EPOCH, log: logOf(rowsUpTo(2)), pageSize: 10 })
    const r = recorder(fanout, { endAt: 1 })
    fanout.subscribe(r.subscriber, 0)
    await settle()
    expect(r.ends).toEqual(['slow-reader'])
    expect(fanout.size).toBe(0)
    fanout.publish({ seq: 3, at: 2_000, actions: [action(3)] as never, users: [] })
    expect(r.seqs).toEqual([1]) // nothing more once it ended, in its page or live
  })

  it('unsubscribing mid catch-up stops the pump, and live streams stop on unsubscribe', async () => {
    const fanout = createLocalFanout({ epoch: EPOCH, log: logOf(rowsUpTo(10)), pageSize: 2 })
    const early = recorder(fanout)
    fanout.subscribe(early.subscriber, 0)
    expect(early.seqs).toEqual([1, 2])
    fanout.unsubscribe(early.subscriber)
    await settle()
    await settle()
    expect(early.seqs).toEqual([1, 2])
    expect(fanout.size).toBe(0)

    const late = recorder(fanout)
    fanout.subscribe(late.subscriber, 9)
    expect(fanout.size).toBe(1)
    fanout.unsubscribe(late.subscriber)
    fanout.publish({ seq: 11, at: 2_000, actions: [action(11)] as never, users: [] })
    expect(late.seqs).toEqual([10])
    expect(fanout.size).toBe(0)
  })
})
