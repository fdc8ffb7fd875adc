// Notices for the user: human sentences for the server's problem codes, holds and orders that ran
// out, products taken out of the shop from the user's cart, and "back in stock" for products the
// user waits for (withdrawn when it is gone again). Pure helpers used by the reducers.
import type { Draft } from 'immer'
import type { ErrorCode, Problem } from '../../actions/index.js'
import type { Notice, ShopState } from '../state.js'

const SENTENCES: Partial<Record<ErrorCode, string>> = {
  'stock/insufficient': 'Someone else just took the last one.',
  'product/not-found': 'That product is no longer in the shop.',
  'cart/empty': 'Your cart is empty.',
  'order/not-found': 'That order could not be found.',
  'order/not-pending': 'That order is no longer waiting for payment.',
  'cart/too-many-lines': 'Your cart cannot hold more different products.',
  'cart/too-many-units': 'You are already holding as many units as allowed.',
  'limit/rate': 'Too many requests at once. Please wait a moment and try again.',
  'auth/required': 'Please sign in first.',
  'auth/invalid': 'Your session is not valid any more. Please sign in again.',
  'auth/expired': 'Your session has expired. Please sign in again.',
  'auth/forbidden': 'You are not allowed to do that.',
  'server/unavailable': 'The shop cannot be reached right now. Please try again.',
  'server/internal': 'Something went wrong on our side. Please try again.',
}

/**
 * A sentence a person can read for a problem the server (or the network) gave.
 *
 * @example
 * ```ts
 * problemSentence({ code: 'stock/insufficient', ... }) // 'Someone else just took the last one.'
 * ```
 */
export const problemSentence = (problem: Pick<Problem, 'code' | 'detail' | 'title'>): string =>
  SENTENCES[problem.code] ?? (problem.detail || problem.title || 'Something went wrong.')

const titleOf = (draft: Draft<ShopState>, sku: string): string =>
  draft.confirmed.products[sku]?.title ?? sku

/**
 * The most notices kept: they are for a person to read, and a service that sends commands and
 * never dismisses them would otherwise collect them for as long as it runs. The oldest go first.
 */
export const MAX_NOTICES = 20

export const addNotice = (draft: Draft<ShopState>, notice: Notice): void => {
  draft.notices[notice.id] = notice
  const ids = Object.keys(draft.notices) // in the order they came (ids are never integer-like)
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_NOTICES))) delete draft.notices[id]
}

export const noticeHoldExpired = (draft: Draft<ShopState>, sku: string, tag: string): void =>
  addNotice(draft, {
    id: `expired:${sku}:${tag}`,
    code: 'hold/expired',
    message: `Your hold on ${titleOf(draft, sku)} ran out.`,
    sku,
  })

/** A hold gone while the page was away; `title` is the product's as the page last knew it. */
export const noticeHoldEnded = (
  draft: Draft<ShopState>,
  sku: string,
  title: string,
  tag: string,
): void =>
  addNotice(draft, {
    id: `ended:${sku}:${tag}`,
    code: 'hold/ended',
    message: `Your hold on ${title} ended while this page was away.`,
    sku,
  })

export const noticeProductRemoved = (draft: Draft<ShopState>, sku: string, tag: string): void =>
  addNotice(draft, {
    id: `removed:${sku}:${tag}`,
    code: 'product/removed',
    message: `${titleOf(draft, sku)} was taken out of the shop, so it is no longer in your cart.`,
    sku,
  })

/**
 * The notice for a refused command: the problem's sentence, but a refused hold names its product
 * and says what comes next (the user waits for it from then on: `wanted`), and one that never
 * reached the shop says that nothing changed (which stays true once the stream is back, where
 * "cannot be reached right now" would not).
 */
export const refusalSentence = (
  draft: Draft<ShopState>,
  problem: Problem,
  sku: string | undefined,
): string => {
  if (problem.code === 'server/unavailable') {
    return sku === undefined
      ? 'That did not reach the shop, so nothing changed. Please try again.'
      : `Your change to ${titleOf(draft, sku)} did not reach the shop. Please try again.`
  }
  if (problem.code !== 'stock/insufficient' || sku === undefined) return problemSentence(problem)
  const title = titleOf(draft, sku)
  const { available } = problem
  return typeof available === 'number' && available > 0
    ? `Only ${available} of ${title} left. You will be told when there are more.`
    : `Someone else just took the last ${title}. You will be told when it is back.`
}

export const noticeOrderExpired = (draft: Draft<ShopState>, orderId: string): void =>
  addNotice(draft, {
    id: `order-expired:${orderId}`,
    code: 'order/expired',
    message: 'Your order was not paid in time; its items went back to the shop.',
    orderId,
  })

/** The id of the notice for an order the shop cancelled (a refused pay or cancel adds nothing to it). */
export const orderCancelledId = (orderId: string): string => `order-cancelled:${orderId}`

export const noticeOrderCancelled = (
  draft: Draft<ShopState>,
  orderId: string,
  title: string,
  others: boolean,
): void => {
  // A pay or cancel of it refused as "no longer waiting for payment" before this came: this says
  // why.
  for (const [id, notice] of Object.entries(draft.notices)) {
    if (notice.orderId === orderId && notice.code === 'order/not-pending') delete draft.notices[id]
  }
  addNotice(draft, {
    id: orderCancelledId(orderId),
    code: 'order/cancelled',
    message: `Your order was cancelled: ${title} was taken out of the shop.${others ? ' Its other items went back to the shop.' : ''}`,
    orderId,
  })
}

/** `available` before a change, for each sku the user wants; read it before changing the state. */
export const wantedBefore = (state: ShopState): Record<string, number> => {
  const before: Record<string, number> = {}
  for (const sku of Object.keys(state.wanted)) {
    before[sku] = state.confirmed.products[sku]?.available ?? 0
  }
  return before
}

/**
 * After a change: a wanted sku whose `available` rose from below the wanted units to at least them
 * gets a "back in stock" notice and stops being wanted.
 */
export const announceBackInStock = (
  draft: Draft<ShopState>,
  before: Record<string, number>,
  tag: string,
): void => {
  for (const [sku, was] of Object.entries(before)) {
    const need = draft.wanted[sku]
    const now = draft.confirmed.products[sku]?.available ?? 0
    if (need === undefined || was >= need || now < need) continue
    delete draft.wanted[sku]
    addNotice(draft, {
      id: `back:${sku}:${tag}`,
      code: 'stock/back',
      message: `${titleOf(draft, sku)} is back in stock.`,
      sku,
    })
  }
}

/** A "back in stock" notice is withdrawn once none is available again: it would say the opposite. */
export const withdrawStaleNotices = (draft: Draft<ShopState>): void => {
  for (const [id, notice] of Object.entries(draft.notices)) {
    if (notice.code !== 'stock/back' || notice.sku === undefined) continue
    if ((draft.confirmed.products[notice.sku]?.available ?? 0) < 1) delete draft.notices[id]
  }
}
