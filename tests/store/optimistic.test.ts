import { describe, expect, it } from 'vitest'
import { selectCheckingOut } from '../../src/store/selectors.js'
import type { HeldLine, ShopState } from '../../src/store/state.js'
import { createFakeServer } from './support/fake-server.js'
import { createShopper } from './support/shopper.js'

/** Every view a subscriber sees from now on. */
const recordViews = (shopper: ReturnType<typeof createShopper>): ShopState['view'][] => {
  const views: ShopState['view'][] = []
  shopper.store.subscribe((state) => views.push(state.view))
  return views
}

const setup = (onHand = 1) => {
  const server = createFakeServer()
  server.createProduct('tee', onHand, 'Tee')
  server.createProduct('mug', 3, 'Mug')
  const ann = createShopper(server, 'ann')
  ann.connect()
  return { server, ann }
}

describe('optimistic cart commands', () => {
  it('shows a hold at once: the line appears and available drops before the server answers', () => {
    const { ann } = setup(2)
    ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    const { view, confirmed } = ann.state()
    expect(view.cart.tee).toEqual({ sku: 'tee', qty: 1, expiresAt: null })
    expect(view.products.tee).toMatchObject({ held: 1, available: 1 })
    expect(confirmed.cart.tee).toBeUndefined()
  })

  it('confirms a hold when the stream reaches the acknowledged seq, and the line never disappears', () => {
    const { server, ann } = setup()
    const views = recordViews(ann)
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    const answer = server.setCart('ann', 'tee', 1)
    ann.answer(id, answer)
    expect(ann.state().pending[id]?.ack).toEqual({
      seq: answer.ok ? answer.seq : -1,
      epoch: undefined,
    })
    ann.sync()

    expect(ann.state().pending).toEqual({})
    expect(ann.state().view).toBe(ann.state().confirmed)
    expect(ann.state().view.cart.tee?.expiresAt).toBeTypeOf('number')
    expect(views.length).toBeGreaterThanOrEqual(3)
    expect(views.map((view) => view.cart.tee?.qty)).toEqual(views.map(() => 1))
    expect(views.map((view) => view.products.tee?.available)).toEqual(views.map(() => 0))
  })

  it('does not flicker when the commit arrives before the answer either', () => {
    const { server, ann } = setup()
    const views = recordViews(ann)
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    const answer = server.setCart('ann', 'tee', 1)
    ann.sync()
    expect(ann.state().pending[id]).toBeDefined()
    ann.answer(id, answer)
    expect(ann.state().pending).toEqual({})
    expect(views.every((view) => view.cart.tee?.qty === 1)).toBe(true)
  })

  it('keeps an acknowledged command until its commit arrives, even if that takes a while', () => {
    const { server, ann } = setup()
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    ann.answer(id, server.setCart('ann', 'tee', 1))
    expect(ann.state().pending[id]).toBeDefined()
    expect(ann.state().view.cart.tee?.qty).toBe(1)
  })

  it('rolls back a refused hold and leaves a notice', () => {
    const { server, ann } = setup()
    server.setCart('bob', 'tee', 1) // Bob was faster; Ann has not seen it yet
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    expect(ann.state().view.cart.tee).toBeDefined()
    ann.answer(id, server.setCart('ann', 'tee', 1))

    const state = ann.state()
    expect(state.pending).toEqual({})
    expect(state.view.cart.tee).toBeUndefined()
    expect(state.view.products.tee).toMatchObject({ held: 0, available: 1 })
    expect(Object.values(state.notices)).toEqual([
      {
        id,
        code: 'stock/insufficient',
        message: 'Someone else just took the last Tee. You will be told when it is back.',
        sku: 'tee',
      },
    ])
  })

  it('keeps a pending hold on top of an unrelated incoming commit', () => {
    const { server, ann } = setup()
    ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    server.restock('mug', 5)
    ann.sync()
    const { view, confirmed } = ann.state()
    expect(confirmed.products.mug?.onHand).toBe(8)
    expect(view.products.mug?.onHand).toBe(8)
    expect(view.cart.tee?.qty).toBe(1)
    expect(view.products.tee?.available).toBe(0)
  })

  it('keeps a pending hold across a snapshot reset, even of a new database', () => {
    const { ann } = setup()
    ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    const fresh = createFakeServer('epochtwo2')
    fresh.createProduct('tee', 4, 'Tee')
    ann.dispatch({
      type: 'sync/snapshot-received',
      data: { ...fresh.snapshot('ann'), reason: 'unknown-epoch' },
      id: `epochtwo2:${fresh.seq}`,
      receivedAt: 0,
    })
    const { view } = ann.state()
    expect(view.cart.tee?.qty).toBe(1)
    expect(view.products.tee).toMatchObject({ onHand: 4, held: 1, available: 3 })
  })

  it('does not take an answer from a replaced database as the stream having reached it', () => {
    const { server, ann } = setup()
    server.restock('mug', 1)
    server.restock('mug', 1)
    ann.sync() // at seq 4 of the old database
    const fresh = createFakeServer('epochtwo2')
    fresh.createProduct('tee', 4, 'Tee')
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    ann.answer(id, fresh.setCart('ann', 'tee', 1)) // seq 2 of the new one

    expect(ann.state().pending[id]).toBeDefined()
    expect(ann.state().view.cart.tee?.qty).toBe(1)

    ann.dispatch({
      type: 'sync/snapshot-received',
      data: { ...fresh.snapshot('ann'), reason: 'unknown-epoch' },
      id: `epochtwo2:${fresh.seq}`,
      receivedAt: 0,
    })
    expect(ann.state().pending).toEqual({})
    expect(ann.state().view.cart.tee?.qty).toBe(1)
  })

  it('confirms a command sent before a database change once the new stream reaches its answer', () => {
    const { server, ann } = setup()
    server.restock('mug', 1)
    ann.sync()
    const id = ann.send({ kind: 'order/checkout' })
    const fresh = createFakeServer('epochtwo2')
    fresh.createProduct('tee', 4, 'Tee')
    fresh.setCart('ann', 'tee', 1)
    ann.dispatch({
      type: 'sync/snapshot-received',
      data: { ...fresh.snapshot('ann'), reason: 'unknown-epoch' },
      id: `epochtwo2:${fresh.seq}`,
      receivedAt: 0,
    })
    const answer = fresh.checkout('ann')
    ann.answer(id, answer)
    expect(ann.state().pending[id]).toBeDefined()
    for (const event of fresh.eventsFor('ann', 2)) {
      ann.dispatch({ type: 'sync/commit-received', ...event })
    }
    expect(ann.state().pending).toEqual({})
    expect(Object.values(ann.state().view.orders)).toHaveLength(1)
  })

  it('confirms a command sent before a snapshot from behind (`ahead`) once the stream reaches its answer', () => {
    const { server, ann } = setup()
    for (let i = 0; i < 4; i++) server.restock('mug', 1)
    ann.sync() // at seq 6
    const id = ann.send({ kind: 'order/checkout' })
    // The same database, without its last commits: its log ends before ann's position.
    const behind = createFakeServer(server.epoch)
    behind.createProduct('tee', 1, 'Tee')
    behind.createProduct('mug', 3, 'Mug')
    behind.setCart('ann', 'tee', 1)
    ann.dispatch({
      type: 'sync/snapshot-received',
      data: { ...behind.snapshot('ann'), reason: 'ahead' },
      id: `${behind.epoch}:${behind.seq}`,
      receivedAt: 0,
    })
    ann.answer(id, behind.checkout('ann')) // seq 4, below the position the checkout was sent at
    expect(selectCheckingOut(ann.state())).toBe(true)
    for (const event of behind.eventsFor('ann', 3)) {
      ann.dispatch({ type: 'sync/commit-received', ...event })
    }
    expect(ann.state().pending).toEqual({})
    expect(selectCheckingOut(ann.state())).toBe(false)
    expect(Object.values(ann.state().view.orders)).toHaveLength(1)
  })

  it('keeps a command answered past a snapshot that crossed its answer, till the stream brings it', () => {
    const { server, ann } = setup()
    const snapshot = server.snapshot('ann') // read by the server before the hold
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    ann.answer(id, server.setCart('ann', 'tee', 1)) // answered before the snapshot arrives
    ann.dispatch({
      type: 'sync/snapshot-received',
      data: { ...snapshot, reason: 'initial' },
      id: `${snapshot.epoch}:${snapshot.seq}`,
      receivedAt: 0,
    })
    expect(ann.state().view.cart.tee?.qty).toBe(1) // no flicker back to "Add"
    for (const event of server.eventsFor('ann', snapshot.seq)) {
      ann.dispatch({ type: 'sync/commit-received', ...event })
    }
    expect(ann.state().pending).toEqual({})
    expect(ann.state().view.cart.tee?.qty).toBe(1)
  })

  it('confirms an acknowledged command with the snapshot that already contains it', () => {
    const { server, ann } = setup()
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    ann.answer(id, server.setCart('ann', 'tee', 1))
    ann.connect()
    expect(ann.state().pending).toEqual({})
    expect(ann.state().view.cart.tee?.qty).toBe(1)
  })

  it('confirms removing a line that was never there, though no commit reaches this user', () => {
    const { server, ann } = setup()
    const id = ann.send({ kind: 'cart/remove', sku: 'tee' })
    ann.answer(id, server.removeLine('ann', 'tee'))
    expect(ann.state().pending).toEqual({})
  })

  it('keeps a removal answered before the hold sent ahead of it reaches the stream', () => {
    const { server, ann } = setup(2)
    const views = recordViews(ann)
    const hold = ann.send({ kind: 'cart/set', sku: 'tee', qty: 2 })
    const removal = ann.send({ kind: 'cart/remove', sku: 'tee' })
    ann.answer(hold, server.setCart('ann', 'tee', 2))
    // The confirmed state has no line yet, as the removal wants, but only because the hold's
    // commit has not arrived: the removal is not confirmed by it.
    ann.answer(removal, server.removeLine('ann', 'tee'))
    expect(Object.keys(ann.state().pending)).toEqual([hold, removal])
    ann.sync()

    expect(ann.state().pending).toEqual({})
    expect(views.length).toBeGreaterThanOrEqual(5)
    expect(views.slice(1).map((view) => view.cart.tee)).toEqual(views.slice(1).map(() => undefined))
    expect(views.slice(1).map((view) => view.products.tee?.available)).toEqual(
      views.slice(1).map(() => 2),
    )
  })

  it('shows the last quantity sent while earlier ones on the same product are answered', () => {
    const { server, ann } = setup(5)
    ann.setCart('tee', 2)
    const views = recordViews(ann)
    const three = ann.send({ kind: 'cart/set', sku: 'tee', qty: 3 })
    const two = ann.send({ kind: 'cart/set', sku: 'tee', qty: 2 })
    ann.answer(three, server.setCart('ann', 'tee', 3))
    ann.answer(two, server.setCart('ann', 'tee', 2))
    expect(ann.state().view.cart.tee?.qty).toBe(2)
    ann.sync()

    expect(ann.state().pending).toEqual({})
    expect(views.slice(1).map((view) => view.cart.tee?.qty)).toEqual(views.slice(1).map(() => 2))
  })

  it('re-applies several pending commands in the order they were sent', () => {
    const { ann } = setup(5)
    ann.send({ kind: 'cart/set', sku: 'tee', qty: 3 })
    ann.send({ kind: 'cart/set', sku: 'tee', qty: 2 })
    ann.send({ kind: 'cart/set', sku: 'mug', qty: 1 })
    ann.send({ kind: 'cart/remove', sku: 'mug' })
    const { view } = ann.state()
    expect(view.cart).toEqual({ tee: { sku: 'tee', qty: 2, expiresAt: null } })
    expect(view.products.tee).toMatchObject({ held: 2, available: 3 })
    expect(view.products.mug).toMatchObject({ held: 0, available: 3 })
  })

  it('keeps the same product object in the view while its content does not change', () => {
    const { server, ann } = setup()
    ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    const before = ann.state().view.products.tee
    server.restock('mug', 1)
    ann.sync()
    expect(ann.state().view.products.tee).toBe(before)
  })

  it('shows a removal at once and gives the units back to available', () => {
    const { server, ann } = setup(2)
    ann.setCart('tee', 2)
    ann.send({ kind: 'cart/remove', sku: 'tee' })
    const line: HeldLine | undefined = ann.state().view.cart.tee
    expect(line).toBeUndefined()
    expect(ann.state().view.products.tee?.available).toBe(2)
    expect(server.product('tee')?.held).toBe(2)
  })
})
