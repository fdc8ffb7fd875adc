// One attempt: `GET /api/events`, then the event stream into the handlers until it ends, fails,
// goes quiet or is aborted. Reports what happened as machine events and never throws.
import { createParser } from 'eventsource-parser'
import { EVENT_STREAM_CONTENT_TYPE, HEADERS, PATHS } from '../../actions/index.js'
import { errorMessage } from '../error-message.js'
import { sleep } from './backoff.js'
import { readFrame } from './frame.js'
import type { FailureKind, MachineEvent } from './machine.js'
import { createPacer } from './pacing.js'
import { judgeResponse } from './response.js'
import { type TextBatch, textBatches } from './text-batches.js'
import type { ConnectionError, SyncHandlers, Timers } from './types.js'
import { createWatchdog } from './watchdog.js'

/** What an attempt tells the loop; `failed` and `refused` lack the time and roll the loop adds. */
export type AttemptReport =
  | Extract<MachineEvent, { type: 'opened' | 'event-received' | 'retry-hint' }>
  | { type: 'failed'; kind: FailureKind; error: ConnectionError; retryAfterMs?: number | null }
  | { type: 'refused'; status: 401 | 403; error: ConnectionError }

export interface AttemptOptions {
  fetch: typeof fetch
  baseUrl: string
  getPosition(): string | null
  getToken(): string | null
  handlers: Pick<SyncHandlers, 'onSnapshot' | 'onCommit' | 'batch'>
  /** Leave the stream unread for a while after a costly live batch (`pacing.ts`). */
  pace: boolean
  /** Silence (no bytes at all) after which the attempt fails with `watchdog`. */
  watchdogMs: number
  timers: Timers
  /** Aborted by the loop when it moves on; nothing is reported after that. */
  signal: AbortSignal
  report(report: AttemptReport): void
}

/** Text a batch of chunks stops growing at (about 1,500 commit events). */
const BATCH_CHARS = 256 * 1024

/**
 * Runs one request to the end. Resolves when the attempt is over, whatever the reason.
 *
 * @example
 * const controller = new AbortController()
 * await runAttempt({ fetch, baseUrl: '', getPosition: () => null, getToken: () => null,
 *   handlers, pace: true, watchdogMs: 37_500, timers: realTimers, signal: controller.signal,
 *   report: (r) => console.log(r.type) })
 */
export const runAttempt = async (options: AttemptOptions): Promise<void> => {
  const { signal, timers } = options
  const report = (r: AttemptReport): void => {
    if (!signal.aborted) options.report(r)
  }
  const fail = (kind: FailureKind, code: string, message: string): void =>
    report({ type: 'failed', kind, error: { code, message } })

  let init: RequestInit
  try {
    const headers: Record<string, string> = { Accept: EVENT_STREAM_CONTENT_TYPE }
    const position = options.getPosition()
    if (position) headers[HEADERS.lastEventId] = position
    const token = options.getToken()
    init = { method: 'GET', headers, signal }
    if (token) headers[HEADERS.authorization] = `Bearer ${token}`
    else init.credentials = 'include'
  } catch (err) {
    fail('handler', 'handler', `Reading the position or token threw: ${errorMessage(err)}`)
    return
  }

  const quietSeconds = options.watchdogMs / 1000
  const watchdog = createWatchdog(timers, options.watchdogMs, () =>
    fail(
      'watchdog',
      'watchdog',
      `Nothing arrived for ${quietSeconds} s; the connection looks dead.`,
    ),
  )
  const onAbort = (): void => watchdog.stop()
  signal.addEventListener('abort', onAbort, { once: true })

  try {
    let res: Response
    try {
      res = await options.fetch(`${options.baseUrl.replace(/\/+$/, '')}${PATHS.events}`, init)
    } catch (err) {
      fail('network', 'network', `The request failed: ${errorMessage(err)}`)
      return
    }
    watchdog.kick()
    const verdict = await judgeResponse(res, timers.now())
    if (verdict.type !== 'stream') {
      report(verdict)
      return
    }
    report({ type: 'opened' })
    await readStream(verdict.body, options, watchdog.kick, report, fail)
  } catch (err) {
    fail('network', 'network', `The connection broke: ${errorMessage(err)}`)
  } finally {
    watchdog.stop()
    signal.removeEventListener('abort', onAbort)
  }
}

const readStream = async (
  body: ReadableStream<Uint8Array>,
  options: AttemptOptions,
  kick: () => void,
  report: (r: AttemptReport) => void,
  fail: (kind: FailureKind, code: string, message: string) => void,
): Promise<void> => {
  const { signal, handlers } = options
  const reader = body.getReader()
  // Not every fetch ends the body when its signal aborts; cancelling makes sure `read` settles.
  const cancel = (): void => {
    reader.cancel().catch(() => {})
  }
  signal.addEventListener('abort', cancel, { once: true })

  // Inside a batch, an event or heartbeat is noted here and reported once the batch has returned.
  let batching = false
  let receivedInBatch = false
  const received = (): void => {
    if (batching) receivedInBatch = true
    else report({ type: 'event-received' })
  }

  const parser = createParser({
    onRetry: (ms) => report({ type: 'retry-hint', ms }),
    // A heartbeat proves the stream healthy, like an event (see backoff.ts).
    onComment: received,
    onEvent: (message) => {
      if (signal.aborted) return
      const frame = readFrame(message)
      if (frame.type === 'unknown') return
      if (frame.type === 'invalid') {
        fail('protocol', 'protocol', frame.reason)
        return
      }
      try {
        if (frame.type === 'snapshot') handlers.onSnapshot(frame.data, frame.id)
        else handlers.onCommit(frame.data, frame.id)
      } catch (err) {
        // Drop the stream: the next one resumes from what the store holds, so nothing is skipped.
        const name = frame.type === 'snapshot' ? 'onSnapshot' : 'onCommit'
        fail('handler', 'handler', `${name} threw at ${frame.id}: ${errorMessage(err)}`)
        return
      }
      received()
    },
  })
  // eventsource-parser calls back synchronously, so one feed delivers all of a batch's events.
  const feed = (text: string): void => {
    if (handlers.batch === undefined) {
      parser.feed(text)
      return
    }
    // A store may apply a batch's events only as the batch returns (the shop client holds
    // commits back till then), so they prove the stream healthy only after that. A status change
    // in the middle would reset the failure count before a commit the store cannot apply fails
    // the attempt, and the throw would reach the status handler (the shop client's lets held
    // commits through), whose errors the connection only reports, instead of `batch`.
    batching = true
    receivedInBatch = false
    try {
      handlers.batch(() => parser.feed(text))
    } catch (err) {
      fail('handler', 'handler', `Applying a batch of events threw: ${errorMessage(err)}`)
      return
    } finally {
      batching = false
    }
    if (receivedInBatch) report({ type: 'event-received' })
  }
  const batches = textBatches(reader, BATCH_CHARS, kick)
  const pacer = options.pace ? createPacer(options.timers.now(), options.watchdogMs / 4) : null

  try {
    if (signal.aborted) return
    for (;;) {
      let batch: TextBatch
      try {
        batch = await batches.next()
      } catch (err) {
        fail('network', 'network', `The stream broke: ${errorMessage(err)}`)
        return
      }
      if (signal.aborted) return
      const started = options.timers.now()
      // At the end, an unfinished event is dropped, as the SSE standard says.
      feed(batch.text)
      if (batch.done) break
      if (signal.aborted) return
      // Time spent applying, or paused, is the client's own, not the server's silence: the
      // watchdog counts from when the client is ready to read again.
      kick()
      const ended = options.timers.now()
      const pause = pacer?.pauseAfter(ended - started, batch.text.length, ended) ?? 0
      // An abort ends a pause at once (and the check below ends the attempt).
      if (pause > 0) {
        await sleep(pause, signal, options.timers).catch(() => {})
        kick()
      }
      if (signal.aborted) return
    }
    fail('stream-ended', 'stream-ended', 'The server ended the stream.')
  } finally {
    signal.removeEventListener('abort', cancel)
    cancel()
  }
}
