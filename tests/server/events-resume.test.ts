// Where a stream starts: resume after a position of this epoch still in the log (from
// Last-Event-ID or ?after=), or a snapshot event with the reason it was needed.
import { afterEach, describe, expect, it } from 'vitest'
import { commitsThrough, openedStream, seqOf } from '../support/events.js'
import { type Api, createProduct, createTestServer } from '../support/server.js'
import { readSse } from '../support/sse.js'

let server: ReturnType<typeof createTestServer>
const setup = async (options: Parameters<typeof createTestServer>[0] = {}) => {
  server = createTestServer(options)
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 3)
  return { ...server, admin, ann: server.as('ann') }
}
afterEach(() => server?.shop.close())

/** `count` public commits (restocks); answers the seq of the last. */
const restocks = async (admin: Api, count: number): Promise<number> => {
  let seq = 0
  for (let i = 0; i < count; i++)
    seq = (await admin.post('/api/products/tee/restock', { qty: 1 })).body.seq
  return seq
}

describe('resuming', () => {
  it('goes on after the Last-Event-ID position with the next commit, once each', async () => {
    const { admin, ann, shop } = await setup()
    const head = await restocks(admin, 4)
    const stream = await openedStream(
      await ann.events('', { 'Last-Event-ID': `${shop.epoch}:2` }),
      false,
    )
    const caughtUp = await commitsThrough(stream.reader, head)
    expect(caughtUp.map((c) => c.seq)).toEqual([3, 4, 5])
    const live = await restocks(admin, 2)
    const next = await commitsThrough(stream.reader, live)
    expect(next.map((c) => c.seq)).toEqual([6, 7])
    await stream.reader.close()
  })

  it('goes on after the ?after= position when there is no Last-Event-ID', async () => {
    const { admin, ann, shop } = await setup()
    const head = await restocks(admin, 3)
    const stream = await openedStream(await ann.events(`?after=${shop.epoch}:3`), false)
    expect((await commitsThrough(stream.reader, head)).map((c) => c.seq)).toEqual([4])
    await stream.reader.close()
  })

  it('prefers Last-Event-ID over ?after= when both are sent', async () => {
    const { admin, ann, shop } = await setup()
    const head = await restocks(admin, 3)
    const stream = await openedStream(
      await ann.events(`?after=${shop.epoch}:1`, { 'Last-Event-ID': `${shop.epoch}:3` }),
      false,
    )
    expect((await commitsThrough(stream.reader, head)).map((c) => c.seq)).toEqual([4])
    await stream.reader.close()
  })

  it('sends nothing but new commits when resuming at the head', async () => {
    const { admin, ann, shop } = await setup({ heartbeatMs: 20 })
    const head = await restocks(admin, 2)
    const stream = await openedStream(
      await ann.events('', { 'Last-Event-ID': `${shop.epoch}:${head}` }),
      false,
    )
    expect((await stream.reader.next()).raw).toBe(': ping')
    const next = await restocks(admin, 1)
    const event = await stream.reader.nextEvent()
    expect(seqOf(event)).toBe(next)
    await stream.reader.close()
  })

  it('replays exactly the frames it sent live', async () => {
    const { admin, ann, shop } = await setup()
    const live = await openedStream(await ann.events())
    await ann.put('/api/cart/lines/tee', { qty: 2 })
    await admin.patch('/api/products/tee', { title: 'Renamed' })
    const head = await restocks(admin, 1)
    const liveFrames = []
    for (let seq = 0; seq < head; ) {
      const frame = await live.reader.nextEvent()
      liveFrames.push(frame.raw)
      seq = seqOf(frame)
    }
    const replayed = readSse(await ann.events('', { 'Last-Event-ID': live.position ?? '' }))
    await replayed.next()
    const replayedFrames = []
    for (let i = 0; i < liveFrames.length; i++)
      replayedFrames.push((await replayed.nextEvent()).raw)
    expect(replayedFrames).toEqual(liveFrames)
    expect(live.position).toBe(`${shop.epoch}:1`)
    await live.reader.close()
    await replayed.close()
  })

  it('catches up in pages without losing or doubling commits made meanwhile', async () => {
    const { admin, ann, shop } = await setup({ catchUpPageSize: 2 })
    await restocks(admin, 9)
    const stream = await openedStream(await ann.events(`?after=${shop.epoch}:0`), false)
    const head = await restocks(admin, 5)
    const seqs = (await commitsThrough(stream.reader, head)).map((c) => c.seq)
    expect(seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1))
    await stream.reader.close()
  })
})

describe('snapshot reasons', () => {
  const reasonFor = async (ann: Api, position: string | undefined, query = '') => {
    const stream = await openedStream(
      await ann.events(query, position === undefined ? {} : { 'Last-Event-ID': position }),
    )
    await stream.reader.close()
    return stream.snapshot
  }

  it('starts with reason initial when no position is named', async () => {
    const { ann, shop } = await setup()
    expect(await reasonFor(ann, undefined)).toMatchObject({
      reason: 'initial',
      epoch: shop.epoch,
      seq: 1,
    })
    expect(await reasonFor(ann, '')).toMatchObject({ reason: 'initial' })
    expect(await reasonFor(ann, undefined, '?after=')).toMatchObject({ reason: 'initial' })
    // An empty Last-Event-ID is a position too (none), and it wins over ?after= like any other.
    expect(await reasonFor(ann, '', `?after=${shop.epoch}:1`)).toMatchObject({ reason: 'initial' })
  })

  it('starts with reason unknown-epoch for a position of another database', async () => {
    const { ann, shop } = await setup()
    const other = shop.epoch === 'aaaaaaaa' ? 'bbbbbbbb' : 'aaaaaaaa'
    expect(await reasonFor(ann, `${other}:1`)).toMatchObject({ reason: 'unknown-epoch', seq: 1 })
    expect(await reasonFor(ann, undefined, `?after=${other}:0`)).toMatchObject({
      reason: 'unknown-epoch',
    })
  })

  it('starts with reason malformed for a position it cannot read', async () => {
    const { ann, shop } = await setup()
    for (const position of [
      'garbage',
      `${shop.epoch}`,
      `${shop.epoch}:`,
      `${shop.epoch}:-1`,
      `${shop.epoch}:01`,
      `${shop.epoch}:1.5`,
      'ABCDEFGH:1',
      'short:1',
      `${shop.epoch}:99999999999999999999`,
    ]) {
      expect(await reasonFor(ann, position), position).toMatchObject({
        reason: 'malformed',
        seq: 1,
      })
    }
  })

  it('starts with reason ahead for a position beyond the newest commit', async () => {
    const { ann, shop } = await setup()
    expect(await reasonFor(ann, `${shop.epoch}:2`)).toMatchObject({ reason: 'ahead', seq: 1 })
  })

  it('starts with reason expired for a position older than the retained log', async () => {
    const { admin, ann, shop } = await setup({ logRetain: 3 })
    const head = await restocks(admin, 11)
    const snapshot = await reasonFor(ann, `${shop.epoch}:1`)
    expect(snapshot).toMatchObject({ reason: 'expired', seq: head })
    expect(snapshot?.products).toMatchObject([{ sku: 'tee', onHand: 14 }])
    expect(await reasonFor(ann, `${shop.epoch}:0`)).toMatchObject({ reason: 'expired' })
  })

  it('resumes every position the retention keeps, gaplessly, and snapshots the rest', async () => {
    const { admin, ann, shop } = await setup({ logRetain: 3 })
    const head = await restocks(admin, 11)
    const resumedFrom: number[] = []
    for (let position = 0; position < head; position++) {
      const response = await ann.events('', { 'Last-Event-ID': `${shop.epoch}:${position}` })
      const reader = readSse(response)
      await reader.next()
      const first = await reader.nextEvent()
      if (first.event === 'snapshot') {
        expect(JSON.parse(first.data ?? '')).toMatchObject({ reason: 'expired' })
      } else {
        resumedFrom.push(position)
        const seqs = [seqOf(first)]
        while ((seqs.at(-1) ?? head) < head) seqs.push(seqOf(await reader.nextEvent()))
        expect(seqs).toEqual(Array.from({ length: head - position }, (_, i) => position + 1 + i))
      }
      await reader.close()
    }
    const oldest = resumedFrom[0] ?? head
    expect(oldest).toBeLessThanOrEqual(head - 3)
    expect(oldest).toBeGreaterThan(0)
    expect(resumedFrom).toEqual(Array.from({ length: head - oldest }, (_, i) => oldest + i))
  })
})
