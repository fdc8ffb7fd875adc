// The zustand vanilla store of the shop. Its only writer is the dispatcher: callers read and
// subscribe, and change it by dispatching client actions.
import { createStore } from 'zustand/vanilla'
import type { ClientAction } from './client-actions.js'
import type { Dispatcher } from './dispatcher.js'
import { createDispatcher } from './dispatcher.js'
import { shopReducer } from './reducers/index.js'
import type { ShopState } from './state.js'
import { initialShopState } from './state.js'

/** The read side of the store; it has no `setState`. Works with `useSyncExternalStore`. */
export interface ReadonlyShopStore {
  getState(): ShopState
  getInitialState(): ShopState
  /**
   * Listeners run after each dispatch has finished, so they may dispatch. One that throws does not
   * stop the others, nor the dispatch (and the stream that made it): its error is thrown again in
   * a microtask, where it shows as any uncaught error does.
   */
  subscribe(listener: (state: ShopState, previous: ShopState) => void): () => void
}

export interface ShopStore {
  store: ReadonlyShopStore
  dispatch(action: ClientAction): void
  dispatcher: Dispatcher<ClientAction>
}

/**
 * Creates the store and its dispatcher. The reducer runs inside the dispatch; the new state is
 * published (and listeners called) once the dispatch has finished.
 *
 * @example
 * ```ts
 * const { store, dispatch } = createShopStore()
 * store.subscribe((state) => console.log(state.connection.status))
 * dispatch({ type: 'sync/status-changed', info: { status: 'live', attempt: 0, lastError: null, retryAt: null } })
 * ```
 */
export const createShopStore = (initialState: ShopState = initialShopState()): ShopStore => {
  const api = createStore<ShopState>()(() => initialState)
  const dispatcher = createDispatcher<ClientAction>()
  let staged: ShopState | null = null

  dispatcher.register((action) => {
    staged = null // a reducer that throws must leave nothing behind to publish
    staged = shopReducer(api.getState(), action)
  })
  dispatcher.afterDispatch(() => {
    const next = staged
    staged = null
    if (next !== null && next !== api.getState()) api.setState(next, true)
  })

  return {
    store: {
      getState: api.getState,
      getInitialState: api.getInitialState,
      subscribe: (listener) =>
        api.subscribe((state, previous) => {
          try {
            listener(state, previous)
          } catch (error) {
            queueMicrotask(() => {
              throw error
            })
          }
        }),
    },
    dispatch: dispatcher.dispatch,
    dispatcher,
  }
}
