// The SDK's sync connection against a real server over HTTP: connecting, the server cutting the
// stream (dropped sockets, a killed and restarted process), a replaced database, and a server
// restarted with a new secret.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/actions/index.js'
import { signToken } from '../../src/server/index.js'
import { selectButton, selectInventory } from '../../src/store/index.js'
import { type ServerProcess, spawnServer } from '../support/spawn-server.js'
import {
  commandClient,
  createGate,
  expectNoDoubles,
  expectSameAsServer,
  live,
  streamRequests,
  until,
} from './support/clients.js'
import { integrationScope } from './support/scope.js'

const { defer, serve, follow } = integrationScope()
/** An admin client for commands only; it does not follow the stream. */

const ok = async <T extends { ok: boolean }>(result: Promise<T>): Promise<T> => {
  const settled = await result
  expect(settled, JSON.stringify(settled)).toMatchObject({ ok: true })
  return settled
}

/** first, first + 1, …, last */
const range = (first: number, last: number): number[] =>
  Array.from({ length: last - first + 1 }, (_, i) => first + i)

describe('the SDK following a real server', () => {
  it('connects, takes the initial snapshot and goes live', async () => {
    const server = await serve()
    const admin = commandClient(server.url, server.token('admin'))
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 3 }))

    const ann = follow(server.url, server.token('ann'))
    await live(ann.client)

    expect(ann.snapshots.map((s) => s.reason)).toEqual(['initial'])
    expect(selectButton('tee')(ann.client.store.getState())).toBe('add')
    expect(selectInventory('tee')(ann.client.store.getState())).toEqual({
      sku: 'tee',
      inCart: 0,
      inStock: 3,
      available: 3,
    })
    await expectSameAsServer(ann.client, await server.snapshotOf('ann'))
  })

  it('resumes after the server drops every connection mid-stream, losing and doubling nothing', async () => {
    const server = await serve()
    const admin = commandClient(server.url, server.token('admin'))
    await ok(admin.createProduct({ sku: 'bolt', title: 'Bolt', priceCents: 5, onHand: 0 }))
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 9 }))
    const ann = follow(server.url, server.token('ann'))
    await live(ann.client)

    // Public restocks and Ann's own holds: every commit is for Ann, so she must see each seq.
    const restocks = async () => {
      for (let i = 0; i < 60; i += 1) {
        await ok(admin.restock('bolt', 1))
        if (i % 15 === 7) server.dropConnections()
      }
    }
    const holds = async () => {
      for (let i = 0; i < 20; i += 1) await ok(ann.client.setCartQty('tee', (i % 3) + 1))
    }
    await Promise.all([restocks(), holds()])

    const snapshot = await server.snapshotOf('ann')
    await expectSameAsServer(ann.client, snapshot)
    await until(ann.client, (s) => s.position?.seq === snapshot.seq, 'the newest seq')
    expect(ann.snapshots.map((s) => s.reason)).toEqual(['initial'])
    expectNoDoubles(ann.commits)
    expect(ann.commits).toEqual(range((ann.snapshots[0]?.seq ?? 0) + 1, snapshot.seq))
    expect(streamRequests(ann.requests)).toBeGreaterThan(1)
  })

  it('takes a fresh snapshot when it comes back after its position left the retained log', async () => {
    const server = await serve({ logRetain: 5 })
    const admin = commandClient(server.url, server.token('admin'))
    await ok(admin.createProduct({ sku: 'bolt', title: 'Bolt', priceCents: 5, onHand: 0 }))
    const ann = follow(server.url, server.token('ann'))
    await live(ann.client)
    ann.client.stop()

    for (let i = 0; i < 20; i += 1) await ok(admin.restock('bolt', 1))
    ann.client.start()

    await expectSameAsServer(ann.client, await server.snapshotOf('ann'))
    expect(ann.snapshots.map((s) => s.reason)).toEqual(['initial', 'expired'])
    expect(ann.client.store.getState().view.products.bolt?.onHand).toBe(20)
  })

  it('replaces its state after the database is replaced, keeping a command not yet answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfsync-epoch-'))
    const first = await serve({ db: join(dir, 'first.db') })
    const admin = commandClient(first.url, first.token('admin'))
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 3 }))
    const gate = createGate()
    const ann = follow(first.url, first.token('ann'), { gate })
    await live(ann.client)

    gate.close()
    const holding = ann.client.setCartQty('tee', 1)
    expect(ann.client.store.getState().view.cart.tee?.qty).toBe(1)

    await first.stop()
    // A new file has a new epoch; the same address, as after a restore behind a proxy.
    const second = await serve({ db: join(dir, 'second.db') }, first.port)
    expect(second.shop.epoch).not.toBe(first.shop.epoch)
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 5 }))
    await ok(admin.createProduct({ sku: 'mug', title: 'Mug', priceCents: 900, onHand: 2 }))

    const state = await until(
      ann.client,
      (s) => s.position?.epoch === second.shop.epoch && s.confirmed.products.mug && s,
      'the new database',
    )
    expect(ann.snapshots.map((s) => s.reason)).toEqual(['initial', 'unknown-epoch'])
    // Confirmed state is the new database's; the unanswered hold is still shown on top of it.
    expect(state.confirmed.products.tee).toMatchObject({ onHand: 5, held: 0 })
    expect(state.confirmed.cart).toEqual({})
    expect(state.view.cart.tee?.qty).toBe(1)
    expect(state.view.products.tee).toMatchObject({ onHand: 5, held: 1, available: 4 })

    gate.open()
    await ok(holding)
    await expectSameAsServer(ann.client, await second.snapshotOf('ann'))
    expect(ann.client.store.getState().view.cart.tee?.qty).toBe(1)
  })
  it('keeps showing a hold the new database answered before the stream reached it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shelfsync-epoch-'))
    const first = await serve({ db: join(dir, 'first.db') })
    const admin = commandClient(first.url, first.token('admin'))
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 3 }))
    for (let i = 0; i < 5; i += 1) await ok(admin.restock('tee', 1))
    const gate = createGate()
    const ann = follow(first.url, first.token('ann'), { gate })
    await until(ann.client, (s) => s.position?.seq === 6, 'the old database at seq 6')

    gate.close()
    const holding = ann.client.setCartQty('tee', 1)
    ann.client.stop() // offline for a while
    await first.stop()
    const second = await serve({ db: join(dir, 'second.db') }, first.port)
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 5 }))

    // The new database answers with seq 2, below the old position 6: not a sign of the stream
    // having reached it, so the hold must stay on screen.
    const views: Array<number | undefined> = []
    ann.client.store.subscribe((state) => views.push(state.view.cart.tee?.qty))
    gate.open()
    const answer = await ok(holding)
    expect(answer.ok && answer.value.seq).toBe(2)
    expect(ann.client.store.getState().view.cart.tee?.qty).toBe(1)

    ann.client.start()
    await until(ann.client, (s) => s.position?.epoch === second.shop.epoch, 'the new database')
    await expectSameAsServer(ann.client, await second.snapshotOf('ann'))
    expect(views).toEqual(views.map(() => 1))
  })
})

describe('the SDK across a killed server process', () => {
  const SECRET = 'integration-secret-0123456789'
  const token = (user: string) => signToken(SECRET, { user })
  const snapshotAt = async (url: string, user: string): Promise<Snapshot> => {
    const response = await fetch(`${url}/api/snapshot`, {
      headers: { Authorization: `Bearer ${token(user)}` },
    })
    return (await response.json()) as Snapshot
  }
  const spawned = async (env: Record<string, string>, port?: number): Promise<ServerProcess> => {
    const server = await spawnServer(env, port)
    defer(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM')
        await server.exited
      }
    })
    return server
  }

  it('resumes from its position when the process is killed and restarted on the same file', async () => {
    const env = {
      SHELFSYNC_DB: join(mkdtempSync(join(tmpdir(), 'shelfsync-kill-sdk-')), 'shop.db'),
      SHELFSYNC_SECRET: SECRET,
    }
    const first = await spawned(env)
    const admin = commandClient(first.url, token('admin'))
    await ok(admin.createProduct({ sku: 'bolt', title: 'Bolt', priceCents: 5, onHand: 0 }))
    const ann = follow(first.url, token('ann'))
    await live(ann.client)
    for (let i = 0; i < 10; i += 1) await ok(admin.restock('bolt', 1))
    await until(ann.client, (s) => s.confirmed.products.bolt?.onHand === 10, 'ten restocks')

    first.child.kill('SIGKILL')
    await first.exited
    await until(ann.client, (s) => s.connection.status === 'backoff', 'the broken stream')

    const second = await spawned(env, first.port)
    for (let i = 0; i < 10; i += 1) await ok(admin.restock('bolt', 1))
    await ok(ann.client.setCartQty('bolt', 2))

    const snapshot = await snapshotAt(second.url, 'ann')
    await expectSameAsServer(ann.client, snapshot)
    expect(ann.client.store.getState().view.products.bolt).toMatchObject({ onHand: 20, held: 2 })
    expect(ann.snapshots.map((s) => s.reason)).toEqual(['initial'])
    expectNoDoubles(ann.commits)
    expect(ann.commits).toEqual(range((ann.snapshots[0]?.seq ?? 0) + 1, snapshot.seq))
  })

  it('comes back by itself once its token function signs with the server’s new secret', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'shelfsync-secret-sdk-')), 'shop.db')
    const first = await spawned({ SHELFSYNC_DB: db, SHELFSYNC_SECRET: SECRET })
    const admin = commandClient(first.url, token('admin'))
    await ok(admin.createProduct({ sku: 'bolt', title: 'Bolt', priceCents: 5, onHand: 0 }))
    let secret = SECRET
    const ann = follow(first.url, '', { token: () => signToken(secret, { user: 'ann' }) })
    await live(ann.client)
    await ok(admin.restock('bolt', 1))
    await until(ann.client, (s) => s.confirmed.products.bolt?.onHand === 1, 'the restock')

    // The server comes back on the same file with a new secret: ann's tokens are refused.
    const NEW_SECRET = 'integration-secret-rotated-98765'
    first.child.kill('SIGTERM')
    await first.exited
    const second = await spawned({ SHELFSYNC_DB: db, SHELFSYNC_SECRET: NEW_SECRET }, first.port)
    const refused = await until(
      ann.client,
      (s) => s.connection.status === 'unauthorized' && s.connection,
      'the refusal',
    )
    expect(refused.lastError?.code).toBe('auth/invalid')
    expect(refused.retryAt).not.toBeNull()
    const rotatedAdmin = commandClient(second.url, signToken(NEW_SECRET, { user: 'admin' }))
    await ok(rotatedAdmin.restock('bolt', 2))

    // The service's secret is changed too: its next retry is taken, and it resumes.
    secret = NEW_SECRET
    await until(ann.client, (s) => s.confirmed.products.bolt?.onHand === 3, 'the resumed stream')
    await live(ann.client)
    const response = await fetch(`${second.url}/api/snapshot`, {
      headers: { Authorization: `Bearer ${signToken(NEW_SECRET, { user: 'ann' })}` },
    })
    const snapshot = (await response.json()) as Snapshot
    await expectSameAsServer(ann.client, snapshot)
    expect(ann.snapshots.map((s) => s.reason)).toEqual(['initial'])
    expectNoDoubles(ann.commits)
    expect(ann.commits).toEqual(range((ann.snapshots[0]?.seq ?? 0) + 1, snapshot.seq))
  })

  it('holds no stream while its page is hidden; shown, it catches up on what it missed and on its own command', async () => {
    const server = await serve()
    const admin = commandClient(server.url, server.token('admin'))
    await ok(admin.createProduct({ sku: 'tee', title: 'Tee', priceCents: 1500, onHand: 3 }))
    const page = {
      window: new EventTarget(),
      document: Object.assign(new EventTarget(), { visibilityState: 'visible' }),
    }
    const show = (visibilityState: 'visible' | 'hidden'): void => {
      page.document.visibilityState = visibilityState
      page.document.dispatchEvent(new Event('visibilitychange'))
    }
    const ann = follow(server.url, server.token('ann'), { environment: page })
    await live(ann.client)
    const streams = streamRequests(ann.requests)

    show('hidden')
    await until(ann.client, (s) => s.connection.status === 'paused', 'paused')
    for (let i = 0; i < 10; i += 1) await ok(admin.restock('tee', 1))
    // A command needs no stream: the server answers it, and the view shows it meanwhile.
    await ok(ann.client.setCartQty('tee', 2))
    expect(selectButton('tee')(ann.client.store.getState())).toBe('change-quantity')
    expect(ann.client.store.getState().connection.status).toBe('paused')
    expect(streamRequests(ann.requests)).toBe(streams)

    show('visible')
    const snapshot = await server.snapshotOf('ann')
    await expectSameAsServer(ann.client, snapshot)
    await until(ann.client, (s) => s.position?.seq === snapshot.seq, 'the newest seq')
    expect(streamRequests(ann.requests)).toBe(streams + 1)
    expect(ann.snapshots.map((s) => s.reason)).toEqual(['initial'])
    expectNoDoubles(ann.commits)
    expect(ann.commits).toEqual(range((ann.snapshots[0]?.seq ?? 0) + 1, snapshot.seq))
  })
})
