// Optimistic cart commands against a real server: shown at once, confirmed without flicker,
// rolled back with a notice when refused.
import { describe, expect, it } from 'vitest'
import type { ShopState } from '../../src/store/index.js'
import { selectButton, selectIsPending, selectNotices } from '../../src/store/index.js'
import { commandClient, createGate, expectSameAsServer, live, until } from './support/clients.js'
import { integrationScope } from './support/scope.js'

const { serve, follow } = integrationScope()

const setup = async (onHand: number) => {
  const server = await serve()
  const admin = commandClient(server.url, server.token('admin'))
  await admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand })
  await admin.createProduct({ sku: 'mug', title: 'Mug', priceCents: 900, onHand: 4 })
  const customer = async (user: string, gate?: ReturnType<typeof createGate>) => {
    const recorded = follow(server.url, server.token(user), gate ? { gate } : {})
    await live(recorded.client)
    return recorded.client
  }
  return { server, admin, customer }
}

/** Every view a subscriber sees from now on. */
const recordViews = (client: { store: { subscribe: (l: (s: ShopState) => void) => unknown } }) => {
  const views: ShopState['view'][] = []
  client.store.subscribe((state) => views.push(state.view))
  return views
}

describe('optimistic holds against a real server', () => {
  it('shows a hold at once and confirms it later without flicker', async () => {
    const { server, customer } = await setup(1)
    const ann = await customer('ann')
    const views = recordViews(ann)

    const holding = ann.setCartQty('tee', 1)
    const shown = ann.store.getState()
    expect(shown.view.cart.tee).toEqual({ sku: 'tee', qty: 1, expiresAt: null })
    expect(shown.view.products.tee).toMatchObject({ held: 1, available: 0 })
    expect(shown.confirmed.cart.tee).toBeUndefined()
    expect(selectIsPending('tee')(shown)).toBe(true)
    expect(selectButton('tee')(shown)).toBe('remove')

    expect((await holding).ok).toBe(true)
    const confirmed = await until(ann, (s) => Object.keys(s.pending).length === 0 && s, 'confirmed')
    expect(confirmed.view).toBe(confirmed.confirmed)
    expect(confirmed.view.cart.tee?.expiresAt).toBeTypeOf('number')

    // From the click to the confirmation, every view showed the line and the unit as taken.
    expect(views.length).toBeGreaterThanOrEqual(2)
    expect(views.map((view) => view.cart.tee?.qty)).toEqual(views.map(() => 1))
    expect(views.map((view) => view.products.tee?.available)).toEqual(views.map(() => 0))
    await expectSameAsServer(ann, await server.snapshotOf('ann'))
  })

  it('rolls a refused hold back and leaves its notice when another client took the last unit', async () => {
    const { server, customer } = await setup(1)
    const ann = await customer('ann')
    const bob = await customer('bob')
    // Bob's answer comes first; Ann has clicked before her screen could know.
    ann.stop()
    expect((await bob.setCartQty('tee', 1)).ok).toBe(true)
    const views = recordViews(ann)

    const result = await ann.setCartQty('tee', 1)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problem).toMatchObject({ code: 'stock/insufficient', available: 0 })
    expect(views[0]?.cart.tee?.qty).toBe(1)

    const state = ann.store.getState()
    expect(state.pending).toEqual({})
    expect(state.view.cart.tee).toBeUndefined()
    expect(selectNotices(state)).toMatchObject([
      {
        code: 'stock/insufficient',
        message: 'Someone else just took the last Tee. You will be told when it is back.',
        sku: 'tee',
      },
    ])

    ann.start()
    await until(ann, (s) => selectButton('tee')(s) === 'sold-out', 'Bob’s hold seen by Ann')
    await expectSameAsServer(ann, await server.snapshotOf('ann'))
  })

  it('keeps a pending hold on top of an unrelated commit that arrives first', async () => {
    const { admin, customer } = await setup(2)
    const gate = createGate()
    const ann = await customer('ann', gate)

    gate.close()
    const holding = ann.setCartQty('tee', 2)
    await admin.restock('mug', 6)
    const state = await until(ann, (s) => s.confirmed.products.mug?.onHand === 10 && s, 'restock')
    expect(state.view.products.mug?.onHand).toBe(10)
    expect(state.view.cart.tee?.qty).toBe(2)
    // Both units held, none left: the quantity control stays, to step down (its "+" disabled).
    expect(state.view.products.tee?.available).toBe(0)
    expect(selectButton('tee')(state)).toBe('change-quantity')

    gate.open()
    expect((await holding).ok).toBe(true)
    await until(ann, (s) => Object.keys(s.pending).length === 0, 'confirmed')
    expect(ann.store.getState().view.cart.tee?.qty).toBe(2)
  })
})
