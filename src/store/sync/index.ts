// The sync connection: follows the server's event stream and hands each event to the store.
export type { BackoffPolicy, DelayInput } from './backoff.js'
export { DEFAULT_BACKOFF, fullJitter, parseRetryAfter, reconnectDelay, sleep } from './backoff.js'
export {
  createSyncConnection,
  DEFAULT_HEARTBEAT_MS,
  HIDDEN_GRACE_MS,
  WATCHDOG_HEARTBEATS,
} from './connection.js'
export type { FailureKind, MachineEvent, MachineState } from './machine.js'
export { infoOf, initialState, step } from './machine.js'
export { realTimers } from './timers.js'
export type {
  ConnectionError,
  ConnectionInfo,
  ConnectionStatus,
  LocalErrorCode,
  SyncConnection,
  SyncHandlers,
  SyncOptions,
  Timers,
} from './types.js'
