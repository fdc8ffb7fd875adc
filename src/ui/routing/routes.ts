// The app's routes, read from the location hash (`#/shop`); no router library.

export const ROUTES = ['start', 'shop', 'inventory', 'demo'] as const
export type Route = (typeof ROUTES)[number]

const isRoute = (value: string): value is Route => (ROUTES as readonly string[]).includes(value)

/**
 * The route a hash names; anything unknown is the start page.
 *
 * @example `routeOf('#/demo') // 'demo'`
 */
export const routeOf = (hash: string): Route => {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? ''
  return isRoute(name) ? name : 'start'
}

/** @example `hrefOf('inventory') // '#/inventory'` */
export const hrefOf = (route: Route): string => (route === 'start' ? '#/' : `#/${route}`)
