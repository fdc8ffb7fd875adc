import { describe, expect, it } from 'vitest'
import { MAX_NOTICES, problemSentence } from '../../src/store/reducers/notices.js'
import { selectNotices } from '../../src/store/selectors.js'
import { createFakeServer } from './support/fake-server.js'
import { createShopper } from './support/shopper.js'

const setup = () => {
  const server = createFakeServer()
  server.createProduct('tee', 1, 'Tee')
  const ann = createShopper(server, 'ann')
  const bob = createShopper(server, 'bob')
  ann.connect()
  bob.connect()
  return { server, ann, bob }
}
const messages = (shopper: ReturnType<typeof createShopper>) =>
  selectNotices(shopper.state()).map((notice) => notice.message)
/** The user's cart becomes a pending order, and the user has seen it placed. */
const checkOut = (
  server: ReturnType<typeof createFakeServer>,
  shopper: ReturnType<typeof createShopper>,
  user: string,
) => {
  const placed = server.checkout(user)
  if (!placed.ok) throw new Error('checkout refused')
  shopper.sync()
  return placed.order
}

describe('notices', () => {
  it('says "back in stock" when a product the user failed to hold becomes available', () => {
    const { server, ann, bob } = setup()
    bob.setCart('tee', 1)
    const id = ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 })
    ann.answer(id, server.setCart('ann', 'tee', 1))
    ann.sync()
    expect(messages(ann)).toEqual([
      'Someone else just took the last Tee. You will be told when it is back.',
    ])

    bob.remove('tee')
    ann.sync()
    expect(messages(ann)).toEqual([
      'Someone else just took the last Tee. You will be told when it is back.',
      'Tee is back in stock.',
    ])
    expect(ann.state().wanted).toEqual({})
  })

  it('says "back in stock" only once, not again on later changes', () => {
    const { server, ann, bob } = setup()
    bob.setCart('tee', 1)
    ann.answer(ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 }), server.setCart('ann', 'tee', 1))
    bob.remove('tee')
    server.restock('tee', 3)
    ann.sync()
    expect(messages(ann).filter((message) => message.includes('back in stock'))).toHaveLength(1)
  })

  it('after a lapsed hold, tells the user when the product comes back, not at the lapse itself', () => {
    const { server, ann, bob } = setup()
    ann.setCart('tee', 1)
    server.expire('ann', 'tee')
    ann.sync()
    expect(messages(ann)).toEqual(['Your hold on Tee ran out.'])

    bob.setCart('tee', 1)
    ann.sync()
    bob.remove('tee')
    ann.sync()
    expect(messages(ann)).toEqual(['Your hold on Tee ran out.', 'Tee is back in stock.'])
  })

  it('tells of holds that ended while a snapshot replaced the stream (a tab hidden for long)', () => {
    const { server, ann, bob } = setup()
    server.createProduct('mug', 2, 'Mug')
    server.createProduct('cap', 1, 'Cap')
    ann.sync()
    ann.setCart('tee', 1)
    ann.setCart('mug', 2)
    ann.setCart('cap', 1)
    // Away: the tee's hold runs out and Bob takes it; the mug is removed in another tab; the
    // cap is removed from this one, its answer not yet streamed.
    server.tick(900_001)
    server.expire('ann', 'tee')
    bob.setCart('tee', 1)
    server.removeLine('ann', 'mug')
    ann.answer(ann.send({ kind: 'cart/remove', sku: 'cap' }), server.removeLine('ann', 'cap'))
    ann.connect() // a snapshot of the same database, not the commits
    expect(messages(ann)).toEqual([
      'Your hold on Tee ended while this page was away.',
      'Your hold on Mug ended while this page was away.',
    ])
    expect(ann.state().view.cart).toEqual({})
    ann.connect()
    expect(messages(ann)).toHaveLength(2)
  })

  it('tells of no ended hold for lines that went into an order, placed here or in another tab', () => {
    const { server, ann } = setup()
    server.createProduct('mug', 1, 'Mug')
    ann.sync()
    ann.setCart('tee', 1)
    if (!server.checkout('ann').ok) throw new Error('checkout refused')
    ann.connect()
    expect(messages(ann)).toEqual([])
    ann.setCart('mug', 1)
    ann.send({ kind: 'order/checkout' })
    if (!server.checkout('ann').ok) throw new Error('checkout refused')
    ann.connect()
    expect(messages(ann)).toEqual([])
  })

  it('stops waiting for a product once the user holds it', () => {
    const { server, ann, bob } = setup()
    bob.setCart('tee', 1)
    ann.answer(ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 }), server.setCart('ann', 'tee', 1))
    server.restock('tee', 1)
    ann.sync()
    expect(ann.state().wanted).toEqual({})
    ann.setCart('tee', 1)
    expect(ann.state().wanted).toEqual({})
  })

  it('names how many are left when a hold asked for more than there are', () => {
    const { server, ann } = setup()
    server.restock('tee', 1) // 2 in stock
    ann.sync()
    ann.answer(ann.send({ kind: 'cart/set', sku: 'tee', qty: 3 }), server.setCart('ann', 'tee', 3))
    expect(messages(ann)).toEqual(['Only 2 of Tee left. You will be told when there are more.'])
    expect(ann.state().wanted).toEqual({ tee: 3 })
  })

  it('withdraws "back in stock" once the product is gone again', () => {
    const { server, ann, bob } = setup()
    bob.setCart('tee', 1)
    ann.answer(ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 }), server.setCart('ann', 'tee', 1))
    bob.remove('tee')
    ann.sync()
    expect(messages(ann)).toContain('Tee is back in stock.')
    bob.setCart('tee', 1)
    ann.sync()
    expect(messages(ann)).not.toContain('Tee is back in stock.')
    // The refusal itself stays: it is still true that the hold was refused.
    expect(messages(ann)).toHaveLength(1)
  })

  it('tells a user whose held product is taken out of the shop, and only that user', () => {
    const { server, ann, bob } = setup()
    ann.setCart('tee', 1)
    server.deleteProduct('tee')
    ann.sync()
    bob.sync()
    expect(ann.state().view.cart).toEqual({})
    expect(messages(ann)).toEqual([
      'Tee was taken out of the shop, so it is no longer in your cart.',
    ])
    expect(messages(bob)).toEqual([])
  })

  it('tells a user whose pending order is cancelled because the shop took a product out', () => {
    const { server, ann, bob } = setup()
    server.createProduct('mug', 2, 'Mug')
    ann.setCart('tee', 1)
    ann.setCart('mug', 1)
    const order = checkOut(server, ann, 'ann')
    server.deleteProduct('tee')
    ann.sync()
    bob.sync()
    expect(ann.state().view.orders[order.id]?.status).toBe('cancelled')
    expect(ann.state().view.products.mug?.available).toBe(2)
    expect(messages(ann)).toEqual([
      'Your order was cancelled: Tee was taken out of the shop. Its other items went back to the shop.',
    ])
    expect(messages(bob)).toEqual([])
    // An order of that product alone has no other items to speak of.
    ann.setCart('mug', 1)
    checkOut(server, ann, 'ann')
    server.deleteProduct('mug')
    ann.sync()
    expect(messages(ann)[1]).toBe('Your order was cancelled: Mug was taken out of the shop.')
    expect(messages(bob)).toEqual([])
  })

  it('says once why a pay in flight was refused when a delete cancelled the order, in either order', () => {
    const { server, ann } = setup()
    server.createProduct('mug', 2, 'Mug')
    for (const answerFirst of [false, true]) {
      ann.setCart('mug', 1)
      const placed = checkOut(server, ann, 'ann')
      const pay = ann.send({ kind: 'order/pay', orderId: placed.id })
      server.deleteProduct('mug')
      const refused = server.closeOrder('ann', placed.id, 'paid')
      if (refused.ok) throw new Error('paid a cancelled order')
      if (answerFirst) ann.answer(pay, refused)
      ann.sync()
      if (!answerFirst) ann.answer(pay, refused)
      expect(messages(ann), `answer first: ${answerFirst}`).toEqual([
        'Your order was cancelled: Mug was taken out of the shop.',
      ])
      ann.dispatch({ type: 'notice/dismissed', id: selectNotices(ann.state())[0]?.id ?? '' })
      server.createProduct('mug', 2, 'Mug')
      ann.sync()
    }
  })

  it('says nothing when a user cancels an order of their own', () => {
    const { server, ann } = setup()
    server.createProduct('mug', 2, 'Mug')
    ann.sync()
    ann.setCart('mug', 1)
    const own = checkOut(server, ann, 'ann')
    server.closeOrder('ann', own.id, 'cancelled')
    ann.sync()
    expect(messages(ann)).toEqual([])
  })

  it('says a command that never reached the shop changed nothing, and keeps saying it once live', () => {
    const { ann } = setup()
    const unreachable = {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'fetch failed',
      code: 'server/unavailable' as const,
    }
    ann.answer(ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 }), {
      ok: false,
      problem: unreachable,
    })
    ann.answer(ann.send({ kind: 'order/pay', orderId: 'ord_1' }), {
      ok: false,
      problem: unreachable,
    })
    ann.dispatch({
      type: 'sync/status-changed',
      info: { status: 'live', attempt: 0, lastError: null, retryAt: null },
    })
    expect(messages(ann)).toEqual([
      'Your change to Tee did not reach the shop. Please try again.',
      'That did not reach the shop, so nothing changed. Please try again.',
    ])
  })

  it('keeps the newest MAX_NOTICES notices when nobody dismisses them', () => {
    const { ann } = setup()
    const refused = (n: number) =>
      ann.answer(ann.send({ kind: 'cart/set', sku: 'tee', qty: 1 }), {
        ok: false,
        problem: {
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          detail: `refusal ${n}`,
          code: 'server/internal',
        },
      })
    for (let n = 1; n <= MAX_NOTICES + 5; n += 1) refused(n)
    const notices = selectNotices(ann.state())
    expect(notices).toHaveLength(MAX_NOTICES)
    expect(notices.map((notice) => notice.id)).toEqual(
      Array.from({ length: MAX_NOTICES }, (_, i) => `ann-cmd-${i + 6}`),
    )
  })

  it('words the server’s codes as sentences and falls back to the problem’s own detail', () => {
    expect(problemSentence({ code: 'limit/rate', title: 'x', detail: 'y' })).toMatch(/wait/)
    expect(
      problemSentence({ code: 'product/version-mismatch', title: 'T', detail: 'Changed.' }),
    ).toBe('Changed.')
  })
})
