// One customer's store wired by hand to the fake server: snapshot, commits, and commands sent the
// way the SDK sends them (sent → server → acknowledged/refused), with control over the order.
import { formatPosition } from '../../../src/actions/index.js'
import { selectButton } from '../../../src/store/selectors.js'
import type { CommandIntent, ShopState } from '../../../src/store/state.js'
import { createShopStore } from '../../../src/store/store.js'
import type { Answer, FakeServer } from './fake-server.js'

export const createShopper = (server: FakeServer, user: string) => {
  const { store, dispatch } = createShopStore()
  dispatch({ type: 'session/changed', user, role: 'customer' })
  let count = 0

  const shopper = {
    user,
    store,
    dispatch,
    state: (): ShopState => store.getState(),
    /** The snapshot event a fresh connection gets. */
    connect(receivedAt = 0): void {
      const data = server.snapshot(user)
      const id = formatPosition(data.epoch, data.seq)
      dispatch({ type: 'sync/snapshot-received', data, id, receivedAt })
    },
    /** Every commit event for this user after the held position. */
    sync(): void {
      const after = store.getState().position?.seq ?? 0
      for (const event of server.eventsFor(user, after)) {
        dispatch({ type: 'sync/commit-received', ...event })
      }
    },
    send(intent: CommandIntent): string {
      count += 1
      const id = `${user}-cmd-${count}`
      dispatch({ type: 'command/sent', command: { ...intent, id } })
      return id
    },
    answer(id: string, answer: Answer): void {
      if (answer.ok) dispatch({ type: 'command/acknowledged', id, seq: answer.seq })
      else dispatch({ type: 'command/refused', id, problem: answer.problem })
    },
    /** The whole round trip: sent, carried out by the server, answered, streamed. */
    setCart(sku: string, qty: number): void {
      const id = shopper.send({ kind: 'cart/set', sku, qty })
      shopper.answer(id, server.setCart(user, sku, qty))
      shopper.sync()
    },
    remove(sku: string): void {
      const id = shopper.send({ kind: 'cart/remove', sku })
      shopper.answer(id, server.removeLine(user, sku))
      shopper.sync()
    },
    button: (sku: string) => selectButton(sku)(store.getState()),
  }
  return shopper
}

export type Shopper = ReturnType<typeof createShopper>
