// Reading event streams in tests: snapshot and commit events taken apart with their framing
// checked, and helpers that read up to a known commit instead of waiting for quiet.
import { expect } from 'vitest'
import {
  type Commit,
  parsePosition,
  SNAPSHOT_EVENT,
  type SnapshotEventData,
} from '../../src/actions/index.js'
import { readSse, type SseFrame, type SseReader } from './sse.js'

/** The data of a snapshot event, after checking its `event:` and that its `id` is its position. */
export const snapshotOf = (frame: SseFrame): SnapshotEventData => {
  expect(frame.event, frame.raw).toBe(SNAPSHOT_EVENT)
  const data = JSON.parse(frame.data ?? 'null') as SnapshotEventData
  expect(frame.id).toBe(`${data.epoch}:${data.seq}`)
  return data
}

/** The data of a commit event, after checking it has no `event:` and its `id` is its position. */
export const commitOf = (frame: SseFrame): Commit => {
  expect(frame.event, frame.raw).toBeUndefined()
  const data = JSON.parse(frame.data ?? 'null') as Commit
  expect(Object.keys(data)).toEqual(['seq', 'at', 'actions'])
  const position = parsePosition(frame.id ?? '')
  expect(position?.seq, frame.raw).toBe(data.seq)
  return data
}

/** The seq named by a frame's `id`. */
export const seqOf = (frame: SseFrame): number => parsePosition(frame.id ?? '')?.seq ?? Number.NaN

export interface OpenedStream {
  reader: SseReader
  retry: number
  /** The snapshot event, when the stream began with one. */
  snapshot: SnapshotEventData | undefined
  /** Its raw frame id (the position to resume from). */
  position: string | undefined
}

/**
 * Reads the start of a stream: the `retry:` frame, then the snapshot event if there is one.
 * Pass `expectSnapshot: false` for a resumed stream (its first event is then left unread).
 */
export const openedStream = async (
  response: Response,
  expectSnapshot = true,
): Promise<OpenedStream> => {
  expect(response.status).toBe(200)
  const reader = readSse(response)
  const first = await reader.next()
  expect(first.raw).toMatch(/^retry: \d+$/)
  if (!expectSnapshot)
    return { reader, retry: first.retry ?? Number.NaN, snapshot: undefined, position: undefined }
  const frame = await reader.next()
  return {
    reader,
    retry: first.retry ?? Number.NaN,
    snapshot: snapshotOf(frame),
    position: frame.id,
  }
}

/** Reads commit events up to and including the one with `seq` (pings are skipped). */
export const commitsThrough = async (reader: SseReader, seq: number): Promise<Commit[]> => {
  const commits: Commit[] = []
  for (;;) {
    const commit = commitOf(await reader.nextEvent())
    commits.push(commit)
    if (commit.seq >= seq) return commits
  }
}

/** The raw text a commit event must have, byte for byte. */
export const commitFrameText = (epoch: string, commit: Commit): string =>
  `id: ${epoch}:${commit.seq}\ndata: ${JSON.stringify({ seq: commit.seq, at: commit.at, actions: commit.actions })}`
