import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ClientAction } from '../../src/store/client-actions.js'
import { createShopStore } from '../../src/store/store.js'

const live: ClientAction = {
  type: 'sync/status-changed',
  info: { status: 'live', attempt: 0, lastError: null, retryAt: null },
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createShopStore', () => {
  it('changes only through dispatch: its public side has no setState', () => {
    const { store } = createShopStore()
    expect('setState' in store).toBe(false)
  })

  it('tells listeners after the dispatch, with the new and the previous state', () => {
    const { store, dispatch, dispatcher } = createShopStore()
    const seen: Array<[string, string, boolean]> = []
    store.subscribe((state, previous) =>
      seen.push([state.connection.status, previous.connection.status, dispatcher.isDispatching()]),
    )
    dispatch(live)
    expect(seen).toEqual([['live', 'closed', false]])
  })

  it('lets a listener dispatch, and every listener ends up with the latest state', () => {
    const { store, dispatch } = createShopStore()
    store.subscribe((state) => {
      if (state.connection.status === 'live') {
        dispatch({ type: 'sync/status-changed', info: { ...state.connection, status: 'backoff' } })
      }
    })
    dispatch(live)
    expect(store.getState().connection.status).toBe('backoff')
  })

  it('keeps telling the other listeners, and finishes the dispatch, when one listener throws', () => {
    const rethrown: Array<() => void> = []
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => {
      rethrown.push(task)
    })
    const { store, dispatch } = createShopStore()
    const seen: string[] = []
    store.subscribe(() => {
      throw new Error('a bug in the app')
    })
    store.subscribe((state) => seen.push(state.connection.status))
    expect(() => dispatch(live)).not.toThrow()
    expect(store.getState().connection.status).toBe('live')
    expect(seen).toEqual(['live'])
    // The error is not swallowed: it is thrown again on its own, outside the dispatch.
    expect(rethrown).toHaveLength(1)
    expect(() => rethrown[0]?.()).toThrow('a bug in the app')
  })

  it('does not tell listeners when an action changes nothing', () => {
    const { store, dispatch } = createShopStore()
    let calls = 0
    store.subscribe(() => {
      calls += 1
    })
    dispatch({ type: 'notice/dismissed', id: 'nothing-here' })
    dispatch({ type: 'command/acknowledged', id: 'unknown', seq: 3 })
    expect(calls).toBe(0)
  })
})
