// The fan-out is a seam: a server built with another one (here, the local one wrapped and
// watched) serves its streams through it alone: where a stream starts (head, tail), what it
// catches up on and what it gets live.
import { afterEach, expect, it } from 'vitest'
import type { Fanout, FanoutInput } from '../../src/server/index.js'
import { createLocalFanout } from '../../src/server/index.js'
import { commitsThrough, openedStream } from '../support/events.js'
import { createProduct, createTestServer } from '../support/server.js'

let server: ReturnType<typeof createTestServer> | undefined
afterEach(() => server?.shop.close())

/** The local fan-out behind a wrapper that records what the server asks of it. */
const watched = () => {
  const calls: string[] = []
  const make = (input: FanoutInput): Fanout => {
    const inner = createLocalFanout(input)
    return {
      head: () => {
        calls.push('head')
        return inner.head()
      },
      tail: () => inner.tail(),
      publish: (commit) => {
        calls.push(`publish ${commit.seq}`)
        inner.publish(commit)
      },
      subscribe: (subscriber, after) => {
        calls.push(`subscribe after ${after}`)
        inner.subscribe(subscriber, after)
      },
      unsubscribe: (subscriber) => inner.unsubscribe(subscriber),
      get size() {
        return inner.size
      },
    }
  }
  return { calls, make }
}

it('serves a resuming stream through the fan-out it was given', async () => {
  const fanout = watched()
  server = createTestServer({ fanout: fanout.make })
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 3)
  await createProduct(admin, 'mug', 3)
  expect(fanout.calls).toEqual(['publish 1', 'publish 2'])

  const stream = await openedStream(
    await server.as('ann').events('', { 'Last-Event-ID': `${server.shop.epoch}:1` }),
    false,
  )
  expect(fanout.calls.slice(2)).toEqual(['head', 'subscribe after 1'])
  const restock = await admin.post('/api/products/tee/restock', { qty: 1 })
  const commits = await commitsThrough(stream.reader, restock.body.seq)
  expect(commits.map((commit) => commit.seq)).toEqual([2, 3])
  expect(fanout.calls).toContain('publish 3')
  await stream.reader.close()
})
