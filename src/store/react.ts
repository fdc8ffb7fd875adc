// React bindings (`shelfsync/react`): a provider for the client and hooks on
// `useSyncExternalStore`. A component re-renders only when the slice it selects changes.
import type { ReactNode } from 'react'
import { createContext, createElement, useContext, useMemo, useSyncExternalStore } from 'react'
import type { ShopClient } from './client.js'
import type { ShopState } from './state.js'

const ShopContext = createContext<ShopClient | null>(null)

export interface ShopProviderProps {
  client: ShopClient
  children?: ReactNode
}

/**
 * Makes `client` available to `useShop` and `useShopClient` below it. It does not start the
 * client; call `client.start()` where the app begins.
 *
 * @example
 * ```tsx
 * const client = createShopClient({ baseUrl: '' })
 * client.start()
 * root.render(<ShopProvider client={client}><App /></ShopProvider>)
 * ```
 */
export const ShopProvider = ({ client, children }: ShopProviderProps): ReactNode =>
  createElement(ShopContext.Provider, { value: client }, children)

/**
 * The client of the nearest `ShopProvider`, for commands.
 *
 * @example
 * ```tsx
 * const client = useShopClient()
 * return <button onClick={() => client.setCartQty(sku, 1)}>Add</button>
 * ```
 */
export const useShopClient = (): ShopClient => {
  const client = useContext(ShopContext)
  if (client === null) {
    throw new Error(
      'useShopClient(): no shop client here. Wrap the component tree in ' +
        '<ShopProvider client={createShopClient({ baseUrl })}>, or render this component inside it.',
    )
  }
  return client
}

/**
 * The slice `selector` picks from the shop's state. The component re-renders only when the slice
 * changes by `equalityFn` (default `Object.is`); selectors from `shelfsync/client` keep their
 * results' identity until the data changes, so the default is usually right. A selector that
 * builds a new array or object each time wants a shallow comparison, such as zustand's `shallow`
 * (zustand comes with shelfsync; list it among your own dependencies to import it under pnpm).
 *
 * @example
 * ```tsx
 * import { shallow } from 'zustand/shallow'
 *
 * const button = useShop(selectButton('tee-m'))
 * const titles = useShop((state) => selectProducts(state).map((p) => p.title), shallow)
 * ```
 */
export const useShop = <T>(
  selector: (state: ShopState) => T,
  equalityFn: (a: T, b: T) => boolean = Object.is,
): T => {
  const { store } = useShopClient()
  // Remembers the last state and slice, so an unrelated change returns the same slice and
  // `useSyncExternalStore` sees nothing new (the idea of `useSyncExternalStoreWithSelector`).
  const getSlice = useMemo(() => {
    let memo: { state: ShopState; slice: T } | null = null
    return (): T => {
      const state = store.getState()
      if (memo !== null && memo.state === state) return memo.slice
      const slice = selector(state)
      if (memo !== null && equalityFn(memo.slice, slice)) {
        memo = { state, slice: memo.slice }
        return memo.slice
      }
      memo = { state, slice }
      return slice
    }
  }, [store, selector, equalityFn])
  return useSyncExternalStore(store.subscribe, getSlice, getSlice)
}
