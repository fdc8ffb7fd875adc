// A try that never answers (a stalled keep-alive connection) is given up after tryTimeoutMs and
// retried with the same Idempotency-Key, so a command cannot hang.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHttp } from '../../src/store/http.js'
import { realTimers } from '../../src/store/sync/index.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('a command try that never answers', () => {
  it('is abandoned after the timeout and retried with the same key', async () => {
    vi.useFakeTimers()
    const keys: (string | null)[] = []
    let calls = 0
    const fetch = vi.fn((_url: string | URL | Request, init?: RequestInit) => {
      calls++
      keys.push(new Headers(init?.headers).get('Idempotency-Key'))
      if (calls === 1) {
        // Hangs until aborted, like a request on a stalled connection.
        return new Promise<Response>((_, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
        })
      }
      return Promise.resolve(
        new Response(JSON.stringify({ seq: 7 }), {
          headers: { 'Content-Type': 'application/json' },
        }),
      )
    }) as unknown as typeof globalThis.fetch
    const http = createHttp({
      baseUrl: 'http://shop.test',
      fetch,
      getToken: () => 't',
      timers: realTimers,
      random: () => 0,
      tryTimeoutMs: 1_000,
    })
    const answer = http.send<{ seq: number }>({
      method: 'DELETE',
      path: '/api/cart/lines/mug',
      idempotencyKey: 'cmd-1',
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(calls).toBe(1)
    await vi.advanceTimersByTimeAsync(2_000)
    await expect(answer).resolves.toEqual({ ok: true, value: { seq: 7 }, replayed: false })
    expect(calls).toBe(2)
    expect(keys).toEqual(['cmd-1', 'cmd-1'])
  })
})
