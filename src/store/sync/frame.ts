// Checks one server-sent message against the protocol's two event shapes (snapshot and commit).
// Only what the connection relies on is checked; the SDK ships without zod, and reducers trust
// the server for the rest.
import type { EventSourceMessage } from 'eventsource-parser'
import type { Commit, SnapshotEventData } from '../../actions/index.js'
import { parsePosition, SNAPSHOT_EVENT } from '../../actions/index.js'
import { parseJson } from '../json.js'

export type Frame =
  | { type: 'snapshot'; id: string; data: SnapshotEventData }
  | { type: 'commit'; id: string; data: Commit }
  /** An event name this client does not know (a later protocol version): skip it. */
  | { type: 'unknown' }
  | { type: 'invalid'; reason: string }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Reads a parsed SSE message as a snapshot or commit event.
 *
 * @example
 * readFrame({ id: 'k3v9q2xw:7', data: '{"seq":7,"at":0,"actions":[]}' }) // { type: 'commit', … }
 */
export const readFrame = (message: EventSourceMessage): Frame => {
  const snapshot = message.event === SNAPSHOT_EVENT
  if (message.event !== undefined && !snapshot) return { type: 'unknown' }
  const label = snapshot ? 'snapshot' : 'commit'
  const id = message.id
  const position = id === undefined ? null : parsePosition(id)
  if (id === undefined || position === null) {
    return { type: 'invalid', reason: `A ${label} event has no valid position as its id.` }
  }
  const data = parseJson(message.data)
  if (!isRecord(data) || data.seq !== position.seq) {
    return {
      type: 'invalid',
      reason: `The ${label} event ${id} does not carry seq ${position.seq}.`,
    }
  }
  if (snapshot) {
    return data.epoch === position.epoch
      ? { type: 'snapshot', id, data: data as SnapshotEventData }
      : { type: 'invalid', reason: `The snapshot event ${id} is of another epoch.` }
  }
  return Array.isArray(data.actions)
    ? { type: 'commit', id, data: data as Commit }
    : { type: 'invalid', reason: `The commit event ${id} has no actions.` }
}
