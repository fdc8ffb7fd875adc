// The current route, following `hashchange`, and a way to go to another one.
import { useSyncExternalStore } from 'react'
import type { Route } from './routes.js'
import { hrefOf, routeOf } from './routes.js'

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

const current = (): Route => routeOf(window.location.hash)

export const useHashRoute = (): Route => useSyncExternalStore(subscribe, current, () => 'start')

export const navigate = (route: Route): void => {
  window.location.hash = hrefOf(route)
}
