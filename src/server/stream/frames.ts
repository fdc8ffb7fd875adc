// Server-sent event frames. Each commit is serialized once per audience: one frame shared by
// everyone for its public actions, one per user for the commits that carry their private actions.
import {
  type Action,
  formatPosition,
  PING_COMMENT,
  SNAPSHOT_EVENT,
  type SnapshotEventData,
  visibleTo,
} from '../../actions/index.js'
import type { CommitRecord } from '../commands/writer.js'
import type { LogRow } from '../db/log.js'

export const PING_FRAME = Buffer.from(`: ${PING_COMMENT}\n\n`)

export const retryFrame = (ms: number): Buffer => Buffer.from(`retry: ${ms}\n\n`)

export const snapshotFrame = (epoch: string, data: SnapshotEventData): Buffer =>
  Buffer.from(
    `event: ${SNAPSHOT_EVENT}\nid: ${formatPosition(epoch, data.seq)}\ndata: ${JSON.stringify(data)}\n\n`,
  )

// JSON never contains a raw newline, so one `data:` line always holds the whole commit.
const commitFrame = (epoch: string, seq: number, at: number, actionsJson: string): Buffer =>
  Buffer.from(
    `id: ${formatPosition(epoch, seq)}\ndata: {"seq":${seq},"at":${at},"actions":${actionsJson}}\n\n`,
  )

/** The frames of one commit, made on first use and shared by every stream of the same audience. */
export interface CommitFrames {
  readonly seq: number
  /** The frame `user` may see, or null when nothing in the commit is for them. */
  forUser(user: string): Buffer | null
}

const createCommitFrames = (
  epoch: string,
  seq: number,
  at: number,
  users: readonly string[],
  actionsJson: () => string,
  actions: () => readonly Action[],
): CommitFrames => {
  let shared: Buffer | null | undefined
  let own: Map<string, Buffer> | undefined
  const sharedFrame = (): Buffer | null => {
    if (shared === undefined) {
      if (users.length === 0) shared = commitFrame(epoch, seq, at, actionsJson())
      else {
        const open = actions().filter((action) => !('user' in action.payload))
        shared = open.length ? commitFrame(epoch, seq, at, JSON.stringify(open)) : null
      }
    }
    return shared
  }
  return {
    seq,
    forUser(user) {
      if (users.length === 0 || !users.includes(user)) return sharedFrame()
      own ??= new Map()
      let frame = own.get(user)
      if (!frame) {
        frame = commitFrame(epoch, seq, at, JSON.stringify(visibleTo(actions(), user)))
        own.set(user, frame)
      }
      return frame
    },
  }
}

export const framesOfCommit = (epoch: string, commit: CommitRecord): CommitFrames => {
  let json: string | undefined
  return createCommitFrames(
    epoch,
    commit.seq,
    commit.at,
    commit.users,
    () => (json ??= JSON.stringify(commit.actions)),
    () => commit.actions,
  )
}

export const framesOfLogRow = (epoch: string, row: LogRow): CommitFrames => {
  let parsed: Action[] | undefined
  const users = row.users === '' ? [] : row.users.slice(1, -1).split(',')
  return createCommitFrames(
    epoch,
    row.seq,
    row.at,
    users,
    () => row.actions,
    () => (parsed ??= JSON.parse(row.actions) as Action[]),
  )
}
