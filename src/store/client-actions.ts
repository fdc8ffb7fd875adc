// The actions of the client store, named `domain/event`: what happened on this client (a stream
// event, a command sent or answered, a notice dismissed). Time and ids travel in the action, so
// the reducers stay pure.
import type { Commit, Problem, Role, SnapshotEventData } from '../actions/index.js'
import type { SentCommand } from './state.js'
import type { ConnectionInfo } from './sync/types.js'

/** A snapshot event arrived; `receivedAt` is the local clock (ms) when it did. */
export interface SnapshotReceived {
  type: 'sync/snapshot-received'
  data: SnapshotEventData
  /** The event's position, `<epoch>:<seq>`. */
  id: string
  receivedAt: number
}

/** A commit event arrived. */
export interface CommitReceived {
  type: 'sync/commit-received'
  commit: Commit
  /** The event's position, `<epoch>:<seq>`. */
  id: string
}

/** A commit event as the stream delivers it: the commit and its position (`<epoch>:<seq>`). */
export interface CommitEvent {
  commit: Commit
  id: string
}

/**
 * Several commit events arrived together (parsed from one network chunk, say, as during a
 * catch-up), in stream order. Applied as one batch; each commit is guarded as if it came alone.
 */
export interface CommitsReceived {
  type: 'sync/commits-received'
  commits: readonly CommitEvent[]
}

export interface StatusChanged {
  type: 'sync/status-changed'
  info: ConnectionInfo
}

/** An optimistic command left for the server; the view shows its effect from now on. */
export interface CommandSent {
  type: 'command/sent'
  command: SentCommand
}

/** The server carried out command `id` in commit `seq`. */
export interface CommandAcknowledged {
  type: 'command/acknowledged'
  id: string
  seq: number
  /** The epoch the answer belongs to, when known. */
  epoch?: string
}

/** The server (or the network, after every retry) refused command `id`. */
export interface CommandRefused {
  type: 'command/refused'
  id: string
  problem: Problem
}

export interface NoticeDismissed {
  type: 'notice/dismissed'
  id: string
}

/**
 * The app asks to be told when `sku` can be had (say, the user opened a sold-out product): a
 * "back in stock" notice comes when its `available` rises from 0 to 1 or more.
 */
export interface WatchStarted {
  type: 'watch/started'
  sku: string
}

/** The app no longer wants a "back in stock" notice for `sku`, for whatever reason it waited. */
export interface WatchStopped {
  type: 'watch/stopped'
  sku: string
}

/** The signed-in user changed (demo sign-in, or a host application's token for another user). */
export interface SessionChanged {
  type: 'session/changed'
  user: string
  role: Role
}

export type ClientAction =
  | SnapshotReceived
  | CommitReceived
  | CommitsReceived
  | StatusChanged
  | CommandSent
  | CommandAcknowledged
  | CommandRefused
  | NoticeDismissed
  | WatchStarted
  | WatchStopped
  | SessionChanged

export type ClientActionType = ClientAction['type']
