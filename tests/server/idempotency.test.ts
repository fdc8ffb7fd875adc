// Idempotency-Key: a retried command is answered again from storage and changes nothing; the same
// key with another request is refused; keys belong to one user.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, expect, it, vi } from 'vitest'
import { expectProblem } from '../support/problem.js'
import { createProduct, createTestServer } from '../support/server.js'
import { observe } from '../support/shop-state.js'

let server: ReturnType<typeof createTestServer>
const setup = async () => {
  server = createTestServer()
  const admin = server.as('admin')
  await createProduct(admin, 'tee', 3)
  return { ...server, admin, ann: server.as('ann'), bob: server.as('bob') }
}
afterEach(() => server?.shop.close())

const key = (value: string) => ({ 'Idempotency-Key': value })

it('answers a retry with the same key and body from storage, marked replayed, with no new commit', async () => {
  const { ann } = await setup()
  const first = await ann.put('/api/cart/lines/tee', { qty: 2 }, key('k-1'))
  expect(first.status).toBe(200)
  expect(first.headers.get('idempotent-replayed')).toBeNull()
  const after = await observe(ann)

  const again = await ann.put('/api/cart/lines/tee', { qty: 2 }, key('k-1'))
  expect(again.status).toBe(200)
  expect(again.body).toEqual(first.body)
  expect(again.headers.get('idempotent-replayed')).toBe('true')
  expect(await observe(ann)).toEqual(after)
})

it('replays the stored answer even when carrying the request out again would now differ', async () => {
  const { ann, admin } = await setup()
  const created = await admin.post(
    '/api/products',
    { sku: 'mug', title: 'Mug', priceCents: 1, onHand: 1 },
    key('create-mug'),
  )
  expect(created.status).toBe(201)
  const replay = await admin.post(
    '/api/products',
    { sku: 'mug', title: 'Mug', priceCents: 1, onHand: 1 },
    key('create-mug'),
  )
  expect(replay.status).toBe(201)
  expect(replay.body).toEqual(created.body)
  expect(replay.headers.get('idempotent-replayed')).toBe('true')
  // The answer's own headers come back too: an editor retrying a create still learns the version.
  expect(created.headers.get('etag')).toBe('"1"')
  expect(replay.headers.get('etag')).toBe('"1"')

  await ann.put('/api/cart/lines/tee', { qty: 1 })
  const checkout = await ann.post('/api/checkout', undefined, key('pay-once'))
  const retried = await ann.post('/api/checkout', undefined, key('pay-once'))
  expect(retried.status).toBe(201)
  expect(retried.body.order.id).toBe(checkout.body.order.id)
  expect((await ann.get('/api/snapshot')).body.orders).toHaveLength(1)
})

it('refuses the same key with another body with 422 request/idempotency-mismatch', async () => {
  const { ann } = await setup()
  await ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-2'))
  const before = await observe(ann)
  expectProblem(
    await ann.put('/api/cart/lines/tee', { qty: 3 }, key('k-2')),
    422,
    'request/idempotency-mismatch',
  )
  expectProblem(
    await ann.delete('/api/cart/lines/tee', key('k-2')),
    422,
    'request/idempotency-mismatch',
  )
  expect(await observe(ann)).toEqual(before)
})

it('keeps keys per user: another user’s request with the same key is carried out', async () => {
  const { ann, bob } = await setup()
  const annAnswer = await ann.put('/api/cart/lines/tee', { qty: 1 }, key('shared'))
  const bobAnswer = await bob.put('/api/cart/lines/tee', { qty: 1 }, key('shared'))
  expect(bobAnswer.status).toBe(200)
  expect(bobAnswer.headers.get('idempotent-replayed')).toBeNull()
  expect(bobAnswer.body.seq).toBe(annAnswer.body.seq + 1)
  expect((await bob.get('/api/snapshot')).body.cart).toMatchObject([{ sku: 'tee', qty: 1 }])
})

it('does not remember a refusal: a retry after the conflict is gone is carried out', async () => {
  const { ann, bob } = await setup()
  await bob.put('/api/cart/lines/tee', { qty: 3 })
  expectProblem(
    await ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-3')),
    409,
    'stock/insufficient',
  )
  await bob.delete('/api/cart/lines/tee')
  const retried = await ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-3'))
  expect(retried.status).toBe(200)
  expect(retried.headers.get('idempotent-replayed')).toBeNull()
})

it('refuses the same key while its first request is still being carried out, then replays it', async () => {
  const { ann } = await setup()
  const before = await observe(ann)
  // Sent together: the second arrives while the first waits for its group's commit.
  const [first, second] = await Promise.all([
    ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-twice')),
    ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-twice')),
  ])
  expect(first.status).toBe(200)
  expectProblem(second, 409, 'request/in-flight')
  const after = await observe(ann)
  expect(after.seq).toBe(before.seq + 1)

  const retry = await ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-twice'))
  expect(retry.status).toBe(200)
  expect(retry.headers.get('idempotent-replayed')).toBe('true')
  expect(retry.body).toEqual(first.body)
  expect(await observe(ann)).toEqual(after)
})

it('refuses an invalid key with 400 and changes nothing', async () => {
  const { ann } = await setup()
  const before = await observe(ann)
  for (const value of ['has space', 'x'.repeat(129), 'tab\there', 'é']) {
    expectProblem(
      await ann.put('/api/cart/lines/tee', { qty: 1 }, key(value)),
      400,
      'request/invalid',
    )
  }
  expect(await observe(ann)).toEqual(before)
  const longest = await ann.put('/api/cart/lines/tee', { qty: 1 }, key('~'.repeat(128)))
  expect(longest.status).toBe(200)
})

it('takes If-Match as part of the request: the same key with another condition is refused', async () => {
  const { admin } = await setup()
  const first = await admin.patch(
    '/api/products/tee',
    { onHand: 5 },
    { ...key('edit-1'), 'If-Match': '"1"' },
  )
  expect(first.status).toBe(200)
  const replay = await admin.patch(
    '/api/products/tee',
    { onHand: 5 },
    { ...key('edit-1'), 'If-Match': '"1"' },
  )
  expect(replay.headers.get('idempotent-replayed')).toBe('true')
  expectProblem(
    await admin.patch('/api/products/tee', { onHand: 5 }, { ...key('edit-1'), 'If-Match': '*' }),
    422,
    'request/idempotency-mismatch',
  )
  expectProblem(
    await admin.patch('/api/products/tee', { onHand: 5 }, key('edit-1')),
    422,
    'request/idempotency-mismatch',
  )
})

it('takes W/"n", "n" and a bare n as the same condition', async () => {
  const { admin } = await setup()
  const edit = (ifMatch: string) =>
    admin.patch('/api/products/tee', { onHand: 5 }, { ...key('edit-2'), 'If-Match': ifMatch })
  expect((await edit('"1"')).status).toBe(200)
  for (const same of ['W/"1"', ' 1 ']) {
    const replay = await edit(same)
    expect(replay.status).toBe(200)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
  }
  expectProblem(await edit('"1", "2"'), 422, 'request/idempotency-mismatch')
})

it('answers 422, not 400, to a used key sent again with a body that is not valid', async () => {
  const { ann } = await setup()
  const before = await observe(ann)
  // An unused key with a bad body is only a bad body.
  expectProblem(
    await ann.put('/api/cart/lines/tee', { qty: -1 }, key('k-bad')),
    400,
    'request/invalid',
  )
  expect((await ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-bad'))).status).toBe(200)
  const after = await observe(ann)
  expect(after).not.toEqual(before)
  for (const body of [{ qty: -1 }, 'not json', { qty: 1, extra: true }]) {
    expectProblem(
      await ann.put('/api/cart/lines/tee', body, key('k-bad')),
      422,
      'request/idempotency-mismatch',
    )
  }
  expect(await observe(ann)).toEqual(after)
  // Keys are per user: another user's bad body with that key is only a bad body.
  expectProblem(
    await server.as('bob').put('/api/cart/lines/tee', { qty: -1 }, key('k-bad')),
    400,
    'request/invalid',
  )
})

it('takes the same body with its members in another order as the same request', async () => {
  const { admin } = await setup()
  const mug = { sku: 'mug', title: 'Mug', priceCents: 1, onHand: 1 }
  const first = await admin.post('/api/products', mug, key('create-mug'))
  expect(first.status).toBe(201)
  const reordered = '{ "onHand": 1, "priceCents": 1, "title": "Mug", "sku": "mug" }'
  const again = await admin.post('/api/products', reordered, key('create-mug'))
  expect(again.status).toBe(201)
  expect(again.headers.get('idempotent-replayed')).toBe('true')
  expect(again.body).toEqual(first.body)
  expectProblem(
    await admin.post('/api/products', { ...mug, onHand: 2 }, key('create-mug')),
    422,
    'request/idempotency-mismatch',
  )
})

it('still replays a key stored before fingerprints were canonical (the body in sent order)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfsync-keys-'))
  try {
    const file = join(dir, 'shop.db')
    server = createTestServer({ db: file })
    const admin = server.as('admin')
    // A create stored by the earlier server: its fingerprint hashed the body as it was sent.
    const sent = '{"sku":"mug","title":"Mug","priceCents":1,"onHand":1}'
    const earlier = createHash('sha256').update(`POST /api/products\n${sent}`).digest('base64url')
    const stored = '{"seq":1,"product":{"sku":"mug"}}'
    const direct = new Database(file)
    direct
      .prepare(
        `INSERT INTO idempotency_keys (user, key, fingerprint, status, body, headers, created_at)
         VALUES ('admin', 'create-mug', ?, 201, ?, '{}', ?)`,
      )
      .run(earlier, stored, server.clock.now())
    direct.close()

    const retry = await admin.post('/api/products', sent, key('create-mug'))
    expect(retry.status).toBe(201)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(retry.body).toEqual(JSON.parse(stored))
    expectProblem(
      await admin.post(
        '/api/products',
        sent.replace('"onHand":1', '"onHand":2'),
        key('create-mug'),
      ),
      422,
      'request/idempotency-mismatch',
    )
  } finally {
    server.shop.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

it('forgets a key once it is older than the retention, even before the sweep', async () => {
  const { ann: earlier, clock, as } = await setup()
  const first = await earlier.put('/api/cart/lines/tee', { qty: 1 }, key('k-old'))
  expect(first.status).toBe(200)
  clock.advance(24 * 3_600_000 - 1)
  const ann = as('ann') // the first token has expired meanwhile
  const replay = await ann.put('/api/cart/lines/tee', { qty: 1 }, key('k-old'))
  expect(replay.headers.get('idempotent-replayed')).toBe('true')
  clock.advance(2)
  // Past 24 hours the key is new again: the request is carried out, and another body is no mismatch.
  const later = await ann.put('/api/cart/lines/tee', { qty: 2 }, key('k-old'))
  expect(later.status).toBe(200)
  expect(later.headers.get('idempotent-replayed')).toBeNull()
  expect(later.body).toMatchObject({ line: { qty: 2 } })
  const replayOfLater = await ann.put('/api/cart/lines/tee', { qty: 2 }, key('k-old'))
  expect(replayOfLater.headers.get('idempotent-replayed')).toBe('true')
})

/** The keys a database file holds, oldest first. */
const keysIn = (file: string): unknown[] => {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare('SELECT key FROM idempotency_keys ORDER BY created_at').pluck().all()
  } finally {
    db.close()
  }
}

/**
 * A test server on `file` keeping at most `max` keys, where Ann has sent `count` holds with keys
 * `<prefix>-1` … `<prefix>-<count>`, a millisecond apart. Closes it and removes the folder after.
 */
const withKeys = async (
  options: { max: number; count: number; prefix: string },
  then: (file: string) => Promise<void>,
): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'shelfsync-keys-'))
  try {
    const file = join(dir, 'shop.db')
    server = createTestServer({ db: file, limits: { idempotencyKeysMax: options.max } })
    await createProduct(server.as('admin'), 'tee', 10)
    const ann = server.as('ann')
    for (let i = 1; i <= options.count; i++) {
      const answer = await ann.put('/api/cart/lines/tee', { qty: i }, key(`${options.prefix}-${i}`))
      expect(answer.status).toBe(200)
      server.clock.advance(1)
    }
    await then(file)
  } finally {
    await server.shop.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

it('keeps at most idempotencyKeysMax keys, dropping the oldest, when the server starts and sweeps', async () => {
  await withKeys({ max: 3, count: 5, prefix: 'k' }, async (file) => {
    await server.shop.close()
    server = createTestServer({ db: file, limits: { idempotencyKeysMax: 3 } })
    expect(keysIn(file)).toEqual(['k-3', 'k-4', 'k-5'])
    // A kept key still replays; a dropped one is a new request's (carried out again).
    const again = server.as('ann')
    const newest = await again.put('/api/cart/lines/tee', { qty: 5 }, key('k-5'))
    expect(newest.headers.get('idempotent-replayed')).toBe('true')
    const dropped = await again.put('/api/cart/lines/tee', { qty: 1 }, key('k-1'))
    expect(dropped.headers.get('idempotent-replayed')).toBeNull()
    expect(dropped.body).toMatchObject({ line: { qty: 1 } })
  })
})

it('sweeps every minute while the server runs, past the cap too', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  try {
    await withKeys({ max: 2, count: 4, prefix: 'm' }, async (file) => {
      expect(keysIn(file)).toEqual(['m-1', 'm-2', 'm-3', 'm-4'])
      vi.advanceTimersByTime(60_000)
      expect(keysIn(file)).toEqual(['m-3', 'm-4'])
    })
  } finally {
    vi.useRealTimers()
  }
})
