// The connection's state machine status, reduced to what a person needs to know.
import type { ConnectionInfo } from '../../store/index.js'

export type BadgeState = 'live' | 'reconnecting' | 'offline'

export interface BadgeView {
  state: BadgeState
  label: string
  /** A longer sentence for the tooltip and screen readers. */
  detail: string
}

/**
 * @example `badgeOf({ status: 'live', attempt: 0, lastError: null, retryAt: null }).label // 'Live'`
 */
export const badgeOf = (info: ConnectionInfo): BadgeView => {
  switch (info.status) {
    case 'live':
      return { state: 'live', label: 'Live', detail: 'Changes appear as they happen.' }
    case 'connecting':
      return info.attempt === 0
        ? { state: 'reconnecting', label: 'Connecting…', detail: 'Connecting to the shop.' }
        : { state: 'reconnecting', label: 'Reconnecting…', detail: 'Connecting to the shop again.' }
    case 'backoff':
      return info.lastError?.code === 'offline'
        ? { state: 'offline', label: 'Offline', detail: 'This device is offline; waiting for it.' }
        : {
            state: 'reconnecting',
            label: 'Reconnecting…',
            detail: 'The connection dropped; trying again shortly.',
          }
    case 'unauthorized':
      return {
        state: 'offline',
        label: 'Signed out',
        detail: info.lastError?.message ?? 'The session ended. Please sign in again.',
      }
    case 'paused':
      return {
        state: 'reconnecting',
        label: 'Paused',
        detail: 'Paused while this page is hidden; it catches up when you come back.',
      }
    case 'closed':
      return { state: 'offline', label: 'Offline', detail: 'Not connected.' }
  }
}
