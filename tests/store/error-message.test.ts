// Errors in words: Node's fetch says only "fetch failed" and keeps why in `cause`; the SDK's
// connection errors and command problems say why, so a service's log tells a refused connection
// from a reset one.
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { errorMessage } from '../../src/store/error-message.js'
import { createShopClient, type ShopClient } from '../../src/store/index.js'
import { waitUntil } from '../support/wait-until.js'

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })

describe('errorMessage', () => {
  it("adds the cause's message to the error's", () => {
    const err = new TypeError('fetch failed', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:8787'),
    })
    expect(errorMessage(err)).toBe('fetch failed (connect ECONNREFUSED 127.0.0.1:8787)')
  })

  it("takes a cause's code when it has no message, and ignores a cause that says nothing", () => {
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' })
    expect(errorMessage(new TypeError('fetch failed', { cause: refused }))).toBe(
      'fetch failed (ECONNREFUSED)',
    )
    expect(errorMessage(new TypeError('fetch failed', { cause: new Error('') }))).toBe(
      'fetch failed',
    )
    expect(errorMessage(new Error('same', { cause: new Error('same') }))).toBe('same')
    expect(errorMessage(new Error('plain'))).toBe('plain')
    expect(errorMessage('a string')).toBe('a string')
  })
})

describe('a server that refuses the connection (real fetch, 127.0.0.1)', () => {
  let client: ShopClient | null = null
  afterEach(() => client?.stop())

  it('is named in the stream error and in the command problem', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`
    client = createShopClient({ baseUrl, token: 'any', retries: 0 })

    const result = await client.restock('tee', 1)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problem.detail).toMatch(
      /^network error: fetch failed \(.*ECONNREFUSED/,
    )

    client.start()
    const { store } = client
    await waitUntil(
      'the stream failed',
      () => store.getState().connection.lastError !== null,
      5_000,
    )
    expect(store.getState().connection.lastError?.message).toMatch(
      /^The request failed: fetch failed \(.*ECONNREFUSED/,
    )
  })
})
