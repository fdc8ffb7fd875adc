// The root reducer of the client store: one pure function from (state, client action) to state.
import type { ClientAction } from '../client-actions.js'
import type { ShopState } from '../state.js'
import { initialShopState } from '../state.js'
import { applyCommit, applyCommits } from './commit.js'
import { commandAcknowledged, commandRefused, commandSent, settle } from './pending.js'
import { applySnapshot } from './snapshot.js'

/**
 * Pure: no clock, no random, no I/O; time and ids come in the action. Returns `state` itself
 * when the action changes nothing (a replayed commit, an unknown command id).
 *
 * @example
 * ```ts
 * let state = initialShopState()
 * state = shopReducer(state, { type: 'sync/snapshot-received', data, id: 'k3v9q2xw:7', receivedAt: Date.now() })
 * ```
 */
export const shopReducer = (state: ShopState, action: ClientAction): ShopState => {
  switch (action.type) {
    case 'sync/snapshot-received':
      return settle(state, applySnapshot(state, action.data, action.id, action.receivedAt))
    case 'sync/commit-received': {
      const next = applyCommit(state, action.commit, action.id)
      return next === state ? state : settle(state, next)
    }
    case 'sync/commits-received': {
      const next = applyCommits(state, action.commits)
      return next === state ? state : settle(state, next)
    }
    case 'sync/status-changed':
      return { ...state, connection: action.info }
    case 'command/sent':
      return commandSent(state, action.command)
    case 'command/acknowledged':
      return commandAcknowledged(state, action.id, action.seq, action.epoch)
    case 'command/refused':
      return commandRefused(state, action.id, action.problem)
    case 'notice/dismissed': {
      if (state.notices[action.id] === undefined) return state
      const { [action.id]: _dismissed, ...notices } = state.notices
      return { ...state, notices }
    }
    case 'watch/started': {
      if ((state.wanted[action.sku] ?? 0) >= 1) return state
      return { ...state, wanted: { ...state.wanted, [action.sku]: 1 } }
    }
    case 'watch/stopped': {
      if (state.wanted[action.sku] === undefined) return state
      const { [action.sku]: _forgotten, ...wanted } = state.wanted
      return { ...state, wanted }
    }
    case 'session/changed': {
      const session = { user: action.user, role: action.role }
      if (state.session?.user === action.user) {
        return state.session.role === action.role ? state : { ...state, session }
      }
      // Another user: nothing of the previous one's cart, orders or commands may remain, and a
      // null position makes the next connection start from a snapshot for the new user.
      return {
        ...initialShopState(),
        connection: state.connection,
        commandsSent: state.commandsSent,
        session,
      }
    }
  }
}
