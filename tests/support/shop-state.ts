// What a user can observe of the shop at one moment: their snapshot (without serverTime) and the
// health seq. Two equal readings mean a request changed nothing that anyone can see.
import type { Health, Snapshot } from '../../src/actions/index.js'
import type { Api } from './server.js'

export type ObservedState = Omit<Snapshot, 'serverTime'> & { health: Health }

export const observe = async (api: Api): Promise<ObservedState> => {
  const snapshot = await api.get<Snapshot>('/api/snapshot')
  const health = await api.get<Health>('/api/health')
  const { serverTime: _serverTime, ...rest } = snapshot.body
  return { ...rest, health: health.body }
}

/** The snapshot without serverTime, for comparing with a view built from the stream. */
export const withoutServerTime = ({ serverTime: _serverTime, ...rest }: Snapshot) => rest
