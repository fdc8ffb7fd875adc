// Server-sent event frames. Each commit is serialized once per audience: one frame shared by
// everyone for its public actions, one per user for the commits that carry their private actions.
import {
  type Action,
  audienceOf,
  formatPosition,
  PING_COMMENT,
  SNAPSHOT_EVENT,
  type SnapshotEventData,
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

/**
 * The actions each of `users` may see, in their order, made in one pass over the commit. A
 * commit with private actions for many users (the release of every lapsed hold after a restart)
 * would otherwise be filtered once per user: users × actions.
 */
const visibleByUser = (actions: readonly Action[], users: readonly string[]) => {
  const lists = new Map<string, Action[]>(users.map((user) => [user, []]))
  for (const action of actions) {
    const audience = audienceOf(action)
    if (audience === null) for (const list of lists.values()) list.push(action)
    else lists.get(audience)?.push(action)
  }
  return lists
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
  let visible: Map<string, Action[]> | undefined
  const owners = users.length > 8 ? new Set(users) : null // includes() is quicker for a few
  const sharedFrame = (): Buffer | null => {
    if (shared === undefined) {
      if (users.length === 0) shared = commitFrame(epoch, seq, at, actionsJson())
      else {
        const open = actions().filter((action) => audienceOf(action) === null)
        shared = open.length ? commitFrame(epoch, seq, at, JSON.stringify(open)) : null
      }
    }
    return shared
  }
  return {
    seq,
    forUser(user) {
      if (users.length === 0 || !(owners?.has(user) ?? users.includes(user))) return sharedFrame()
      own ??= new Map()
      let frame = own.get(user)
      if (!frame) {
        visible ??= visibleByUser(actions(), users)
        frame = commitFrame(epoch, seq, at, JSON.stringify(visible.get(user) ?? []))
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
