// How many connections `npm start` can accept: never more than the process's open-file limit
// allows. Past it, accept() fails with EMFILE and libuv drops new sockets unanswered, and the
// server itself can no longer open a file (an app asset, a backup). Linux only; elsewhere, and
// when the limit cannot be read, the wanted figures stand.
import { readFileSync } from 'node:fs'

/** Descriptors kept back for the database, its WAL, app assets, backups and logs. */
export const RESERVED_FILES = 256
/** Fewer connections than this is no server: `npm start` refuses to start. */
export const MIN_CONNECTIONS = 64
/** Connections left to other requests when streams must give way: a quarter, at most 1,000. */
const requestRoom = (connections: number): number => Math.min(1_000, Math.floor(connections / 4))

/** The soft "Max open files" limit of `/proc/self/limits`' text, or `null`. */
export const parseOpenFileLimit = (limits: string): number | null => {
  const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1]
  return soft === undefined ? null : Number(soft)
}

export const readOpenFileLimit = (): number | null => {
  try {
    return parseOpenFileLimit(readFileSync('/proc/self/limits', 'utf8'))
  } catch {
    return null
  }
}

export interface ConnectionRoom {
  maxConnections: number
  streamsTotal: number
  /** Set when the open-file limit lowered the figures: a line for the operator. */
  note?: string
  /** Set when the limit leaves fewer than MIN_CONNECTIONS: why the server cannot start. */
  tooFew?: string
}

/**
 * Fits the wanted connection and stream caps under `openFiles`. Streams leave room for other
 * requests, so a full server still answers 429 `limit/streams` rather than dropping sockets.
 */
export const connectionRoom = (
  wanted: { maxConnections: number; streamsTotal: number },
  openFiles: number | null,
): ConnectionRoom => {
  const room = openFiles === null ? Number.POSITIVE_INFINITY : openFiles - RESERVED_FILES
  if (wanted.maxConnections <= room) return { ...wanted }
  const raise = `ulimit -n ${wanted.maxConnections + RESERVED_FILES}`
  if (room < MIN_CONNECTIONS) {
    return {
      maxConnections: 0,
      streamsTotal: 0,
      tooFew:
        `the open-file limit is ${openFiles}, which leaves room for ${Math.max(0, room)} ` +
        `connections (${RESERVED_FILES} files are kept back, and at least ${MIN_CONNECTIONS} ` +
        `connections are needed); raise it (${raise})`,
    }
  }
  const maxConnections = room
  const streamsTotal = Math.min(wanted.streamsTotal, maxConnections - requestRoom(maxConnections))
  return {
    maxConnections,
    streamsTotal,
    note:
      `Open-file limit ${openFiles}: accepting at most ${maxConnections} connections and ` +
      `${streamsTotal} streams; raise it (${raise}) ` +
      `for ${wanted.maxConnections} and ${wanted.streamsTotal}.`,
  }
}
