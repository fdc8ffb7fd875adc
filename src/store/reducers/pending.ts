// Optimistic commands: sent, acknowledged, refused, and `settle`, which drops the confirmed ones
// and rebases the view (confirmed state + pending commands re-applied in the order sent).
import type { Draft } from 'immer'
import type { Problem } from '../../actions/index.js'
import type { PendingCommand, SentCommand, ShopData, ShopState } from '../state.js'
import { produce } from './immer.js'
import { addNotice, orderCancelledId, refusalSentence } from './notices.js'
import { applyOptimistic, orderIdOf, shownIn, skuOf } from './optimistic.js'
import { reuseEqual } from './reuse.js'

/** Pending commands in the order they were sent. */
export const pendingInOrder = (pending: ShopState['pending']): PendingCommand[] =>
  Object.values(pending).sort((a, b) => a.ordinal - b.ordinal)

/** Whether two commands are about the same product, or the same order. */
const sameSubject = (a: SentCommand, b: SentCommand): boolean => {
  const sku = skuOf(a)
  const orderId = orderIdOf(a)
  return (
    (sku !== undefined && sku === skuOf(b)) || (orderId !== undefined && orderId === orderIdOf(b))
  )
}

/**
 * A command is confirmed once the server acknowledged it AND the confirmed state reflects it: the
 * stream reached the acknowledged seq, or the confirmed state already shows the effect (a DELETE
 * of a missing line answers a seq whose commit may never reach this user). Until then it stays in
 * the view, so nothing flickers between the answer and the commit.
 *
 * Showing the effect counts only when no command sent earlier about the same product or order is
 * still pending (`earlier`): until that one is confirmed, the confirmed state is from before it
 * and shows the later effect by chance (no line yet, where an answered hold is about to bring one
 * and the removal after it to take it away).
 */
const isConfirmed = (
  state: ShopState,
  { ack, command, sentAt }: PendingCommand,
  earlier: readonly SentCommand[],
): boolean => {
  if (ack === null) return false
  const at = state.position
  const reached = at !== null && answeredBy(at.epoch, ack, sentAt) && at.seq >= ack.seq
  if (reached) return true
  return shownIn(state.confirmed, command) && !earlier.some((c) => sameSubject(c, command))
}

/**
 * The ids of the pending commands that `state` confirms, judged in the order they were sent, so
 * that a command confirmed here no longer holds back the ones after it (see `isConfirmed`).
 */
const confirmedIds = (state: ShopState): string[] => {
  const ids: string[] = []
  const earlier: SentCommand[] = []
  for (const entry of pendingInOrder(state.pending)) {
    if (isConfirmed(state, entry, earlier)) ids.push(entry.command.id)
    else earlier.push(entry.command)
  }
  return ids
}

/**
 * Whether an answer belongs to the database of `epoch`. Answers carry no epoch: one is taken to
 * be of the database the command was sent to, unless its seq is below the position held then
 * (`sentAt`), which only another database (a replaced one, behind the same address) can answer.
 */
const answeredBy = (
  epoch: string,
  ack: NonNullable<PendingCommand['ack']>,
  sentAt: PendingCommand['sentAt'],
): boolean => {
  if (ack.epoch !== undefined) return ack.epoch === epoch
  return sentAt === null || (sentAt.epoch === epoch && ack.seq >= sentAt.seq)
}

/**
 * Drops the confirmed commands from a draft, for a batch of commits that settles once at its end:
 * dropped after each commit, as one `settle` per commit would, so a command confirmed part-way
 * stays confirmed even if a later commit of the batch changes what it set.
 */
export const dropConfirmed = (draft: Draft<ShopState>): void => {
  for (const id of confirmedIds(draft)) delete draft.pending[id]
}

/** The view: `confirmed` itself when nothing is pending, else a rebased copy sharing what is unchanged. */
export const rebase = (confirmed: ShopData, pending: ShopState['pending']): ShopData => {
  const commands = pendingInOrder(pending)
  if (commands.length === 0) return confirmed
  return produce(confirmed, (draft) => {
    for (const { command } of commands) applyOptimistic(draft, command)
  })
}

const sameCommands = (a: ShopState['pending'], b: ShopState['pending']): boolean => {
  if (a === b) return true
  const keys = Object.keys(a)
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => a[key]?.command === b[key]?.command)
  )
}

/**
 * Drops confirmed commands and recomputes the view of `next`, whose `confirmed` or `pending` may
 * have changed since `prev`. The view is `confirmed` itself when nothing is pending; otherwise it
 * is rebased, keeping `prev.view`'s objects wherever they are still equal.
 */
export const settle = (prev: ShopState, next: ShopState): ShopState => {
  let pending = next.pending
  const confirmed = confirmedIds(next)
  if (confirmed.length > 0) {
    pending = { ...next.pending }
    for (const id of confirmed) delete pending[id]
  }
  let view: ShopData
  if (Object.keys(pending).length === 0) view = next.confirmed
  else if (next.confirmed === prev.confirmed && sameCommands(prev.pending, pending))
    view = prev.view
  else view = reuseEqual(prev.view, rebase(next.confirmed, pending))
  return { ...next, pending, view }
}

export const commandSent = (state: ShopState, command: SentCommand): ShopState => {
  if (state.pending[command.id] !== undefined) return state
  const entry: PendingCommand = {
    command,
    ordinal: state.commandsSent,
    ack: null,
    sentAt: state.position,
  }
  return settle(state, {
    ...state,
    pending: { ...state.pending, [command.id]: entry },
    commandsSent: state.commandsSent + 1,
  })
}

export const commandAcknowledged = (
  state: ShopState,
  id: string,
  seq: number,
  epoch: string | undefined,
): ShopState => {
  const entry = state.pending[id]
  if (entry === undefined) return state
  const acknowledged: PendingCommand = { ...entry, ack: { seq, epoch } }
  return settle(state, { ...state, pending: { ...state.pending, [id]: acknowledged } })
}

/** Rolls the command back (it leaves the pending list, the view is rebased) and leaves a notice. */
export const commandRefused = (state: ShopState, id: string, problem: Problem): ShopState => {
  const entry = state.pending[id]
  if (entry === undefined) return state
  const { command } = entry
  const sku = skuOf(command)
  const orderId = orderIdOf(command)
  // A pay or cancel refused because the shop cancelled the order: its notice says so already.
  const explained =
    orderId !== undefined &&
    problem.code === 'order/not-pending' &&
    state.notices[orderCancelledId(orderId)] !== undefined
  const next = produce(state, (draft) => {
    delete draft.pending[id]
    if (!explained)
      addNotice(draft, {
        id,
        code: problem.code,
        message: refusalSentence(draft, problem, sku),
        ...(sku === undefined ? {} : { sku }),
        ...(orderId === undefined ? {} : { orderId }),
      })
    if (problem.code === 'stock/insufficient' && command.kind === 'cart/set') {
      const have = state.confirmed.cart[command.sku]?.qty ?? 0
      draft.wanted[command.sku] = Math.max(1, command.qty - have)
    }
  })
  return settle(state, next)
}
