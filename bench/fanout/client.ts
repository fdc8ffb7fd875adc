// A fan-out client process: holds many SSE connections (node:http), counts the commit events on
// each and measures each one's latency from the `at` it carries. Driven by its parent over IPC.
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { createHistogram } from './histogram.js'
import type { FromClient, OpenCommand, SeqStat, ToClient } from './protocol.js'

interface Connection {
  /** The start of an event cut off at the end of the last chunk. */
  tail: string
  count: number
  request: http.ClientRequest
}

const send = (message: FromClient) => process.send?.(message)

const connections: Connection[] = []
let closing = false
let dropped = 0
let deliveries = 0
let bytes = 0
let reads = 0
let latency = createHistogram()
let seqs = new Map<number, SeqStat>()
let progressTimer: NodeJS.Timeout | undefined

// Digits from `from` up to the first non-digit: no substring or Number() on the hot path.
const readInt = (text: string, from: number): number => {
  let value = 0
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 48 || code > 57) break
    value = value * 10 + (code - 48)
  }
  return value
}

const onEvent = (connection: Connection, text: string, start: number, end: number, now: number) => {
  const atField = text.indexOf('"at":', start)
  if (atField < 0 || atField > end) return // retry:, a comment or a snapshot: not a commit
  const seqField = text.indexOf('"seq":', start)
  if (seqField < 0 || seqField > atField) return
  const seq = readInt(text, seqField + 6)
  const at = readInt(text, atField + 5)
  latency.record(now - at)
  deliveries++
  connection.count++
  const stat = seqs.get(seq)
  if (stat === undefined) seqs.set(seq, [seq, 1, now, at])
  else {
    stat[1]++
    if (now > stat[2]) stat[2] = now
  }
}

const countRead = () => {
  reads++
}

const onData = (connection: Connection, chunk: Buffer) => {
  const now = performance.timeOrigin + performance.now()
  bytes += chunk.length
  const text =
    connection.tail === '' ? chunk.toString('latin1') : connection.tail + chunk.toString('latin1')
  let start = 0
  for (;;) {
    const end = text.indexOf('\n\n', start)
    if (end < 0) break
    onEvent(connection, text, start, end, now)
    start = end + 2
  }
  connection.tail = start < text.length ? text.slice(start) : ''
}

// A refused or failed stream is tried again, as an EventSource would, a few times.
const ATTEMPTS = 5

const open = (command: OpenCommand) => {
  let next = 0
  let settled = 0
  let ok = 0
  let failed = 0
  let retries = 0
  let firstError: string | null = null
  const done = () => {
    settled++
    if (settled === command.count) send({ type: 'opened', ok, failed, retries, firstError })
    else if (next < command.count) connect(next++, 1)
  }
  const connect = (index: number, attempt: number) => {
    const token = command.tokens?.[index]
    const headers = token
      ? { ...command.headers, Authorization: `Bearer ${token}` }
      : command.headers
    const request = http.request({
      host: '127.0.0.1',
      port: command.port,
      path: command.path,
      headers,
      agent: false,
    })
    const connection: Connection = { tail: '', count: 0, request }
    let answered = false
    const fail = (reason: string) => {
      if (answered || closing) return
      answered = true
      request.destroy()
      if (attempt < ATTEMPTS) {
        retries++
        setTimeout(() => connect(index, attempt + 1), 100 * attempt)
        return
      }
      failed++
      firstError ??= reason
      done()
    }
    request.once('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume()
        return fail(`HTTP ${response.statusCode}`)
      }
      answered = true
      connections.push(connection)
      response.on('data', (chunk: Buffer) => onData(connection, chunk))
      // The parser hands over one HTTP chunk at a time; the socket shows what one read brought.
      response.socket.on('data', countRead)
      response.on('error', () => {}) // counted as dropped on close
      response.once('close', () => {
        if (!closing) dropped++
      })
      ok++
      done()
    })
    request.on('error', (error) => fail(error.message))
    request.end()
  }
  for (let i = 0; i < Math.min(command.concurrency, command.count); i++) connect(next++, 1)
}

const minCount = () => {
  let min = Number.POSITIVE_INFINITY
  for (const connection of connections) if (connection.count < min) min = connection.count
  return connections.length === 0 ? 0 : min
}

// Without its parent nobody reads the numbers: let the connections go.
process.on('disconnect', () => process.exit(0))

process.on('message', (message: ToClient) => {
  switch (message.type) {
    case 'open':
      return open(message)
    case 'reset':
      deliveries = 0
      bytes = 0
      reads = 0
      latency = createHistogram()
      seqs = new Map()
      for (const connection of connections) connection.count = 0
      return
    case 'progress':
      clearInterval(progressTimer)
      if (message.intervalMs > 0) {
        progressTimer = setInterval(
          () => send({ type: 'progress', deliveries, minCount: minCount(), dropped }),
          message.intervalMs,
        )
      }
      return
    case 'report':
      return send({
        type: 'report',
        deliveries,
        bytes,
        reads,
        latency: latency.toJSON(),
        seqs: [...seqs.values()],
        minCount: minCount(),
        dropped,
      })
    case 'close':
      closing = true
      clearInterval(progressTimer)
      for (const connection of connections) connection.request.destroy()
      setTimeout(() => process.exit(0), 50)
  }
})
