// A catch-up as the client SDK meets it, without a network: the real client and sync connection
// read a snapshot and then every commit as server-sent events from a fetch stub that hands the
// bytes over in 64 KiB chunks, all there at once, as from a backlog in the socket.
import type { Commit, SnapshotEventData } from '../../src/actions/index.js'
import type * as ClientModule from '../../src/store/index.js'
import { importBuilt } from '../lib/built.js'
import { eventStreamOf } from './workload.js'

const { createShopClient } = await importBuilt<typeof ClientModule>('store/index.js')

export const CHUNK_BYTES = 64 * 1024

export interface CaughtUp {
  /** From the snapshot applied to the last commit applied. */
  seconds: number
  /** Store updates while catching up: one per chunk's batch of commits. */
  batches: number
  bytes: number
}

const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array> => {
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close()
        return
      }
      controller.enqueue(bytes.subarray(at, at + CHUNK_BYTES))
      at += CHUNK_BYTES
    },
  })
}

export const catchUp = (
  snapshot: SnapshotEventData,
  commits: readonly Commit[],
): Promise<CaughtUp> => {
  const bytes = new TextEncoder().encode(eventStreamOf(snapshot, commits))
  const head = commits.at(-1)?.seq ?? snapshot.seq
  const fetchStub = (async () =>
    new Response(streamOf(bytes), {
      headers: { 'Content-Type': 'text/event-stream' },
    })) as unknown as typeof fetch
  const client = createShopClient({ baseUrl: 'http://bench.invalid', token: 't', fetch: fetchStub })
  return new Promise((resolve, reject) => {
    let started: number | null = null
    let batches = 0
    const unsubscribe = client.store.subscribe((state, previous) => {
      if (state.position === previous.position || state.position === null) return
      if (started === null) {
        started = performance.now()
        return
      }
      batches++
      if (state.position.seq < head) return
      const seconds = (performance.now() - started) / 1000
      unsubscribe()
      client.stop()
      resolve({ seconds, batches, bytes: bytes.length })
    })
    client.store.subscribe((state) => {
      if (state.connection.lastError?.code === 'handler') {
        client.stop()
        reject(new Error(`catch-up: ${state.connection.lastError.message}`))
      }
    })
    client.start()
  })
}
