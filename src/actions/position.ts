// Positions, `<epoch>:<seq>`: the SSE id of every event.
import { EPOCH_PATTERN } from './constants.js'

export interface Position {
  epoch: string
  seq: number
}

export const formatPosition = (epoch: string, seq: number): string => `${epoch}:${seq}`

/** Parses a position; `null` when it is malformed (the server then answers with a snapshot). */
export const parsePosition = (value: string): Position | null => {
  const colon = value.indexOf(':')
  if (colon < 0) return null
  const epoch = value.slice(0, colon)
  const digits = value.slice(colon + 1)
  if (!EPOCH_PATTERN.test(epoch) || !/^(0|[1-9][0-9]{0,15})$/.test(digits)) return null
  const seq = Number(digits)
  return Number.isSafeInteger(seq) ? { epoch, seq } : null
}
