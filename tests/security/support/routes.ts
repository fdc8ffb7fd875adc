// Every route of the protocol once, with a body that would be valid, and who may call it.
import { PATHS, pathOf } from '../../../src/actions/index.js'

/** `public`: no token needed; `user`: any signed-in user; `admin`: the admin role only. */
export type Access = 'public' | 'user' | 'admin'

export interface RouteCall {
  name: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  access: Access
}

/** The API routes (under /api), aimed at `sku` and `orderId`. `/metrics` is apart: see ownership. */
export const everyApiRoute = (target: { sku: string; orderId: string }): RouteCall[] => {
  const { sku, orderId } = target
  return [
    {
      name: 'session',
      method: 'POST',
      path: PATHS.session,
      body: { user: 'ann' },
      access: 'public',
    },
    { name: 'health', method: 'GET', path: PATHS.health, access: 'public' },
    { name: 'snapshot', method: 'GET', path: PATHS.snapshot, access: 'user' },
    { name: 'events', method: 'GET', path: PATHS.events, access: 'user' },
    {
      name: 'create product',
      method: 'POST',
      path: PATHS.products,
      body: { sku: 'new-sku', title: 'New', priceCents: 100, onHand: 5 },
      access: 'admin',
    },
    {
      name: 'edit product',
      method: 'PATCH',
      path: pathOf.product(sku),
      body: { title: 'Edited' },
      access: 'admin',
    },
    {
      name: 'restock',
      method: 'POST',
      path: pathOf.restock(sku),
      body: { qty: 5 },
      access: 'admin',
    },
    { name: 'delete product', method: 'DELETE', path: pathOf.product(sku), access: 'admin' },
    {
      name: 'set cart line',
      method: 'PUT',
      path: pathOf.cartLine(sku),
      body: { qty: 1 },
      access: 'user',
    },
    { name: 'remove cart line', method: 'DELETE', path: pathOf.cartLine(sku), access: 'user' },
    { name: 'checkout', method: 'POST', path: PATHS.checkout, access: 'user' },
    { name: 'pay', method: 'POST', path: pathOf.pay(orderId), access: 'user' },
    { name: 'cancel', method: 'POST', path: pathOf.cancel(orderId), access: 'user' },
  ]
}

/** Builds the request for `route` with extra headers. */
export const requestOf = (route: RouteCall, headers: Record<string, string> = {}): RequestInit => {
  const init: RequestInit = { method: route.method, headers: { ...headers } }
  if (route.body !== undefined) {
    init.body = JSON.stringify(route.body)
    ;(init.headers as Record<string, string>)['Content-Type'] = 'application/json'
  }
  return init
}
