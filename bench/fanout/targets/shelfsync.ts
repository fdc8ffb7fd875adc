// Target (a): Shelfsync itself, on a temporary SQLite file, one bearer token per client, the
// writer restocking one product through the admin API (one public stock/changed per commit).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import { join } from 'node:path'
import { signToken } from '../../../src/server/index.js'
import { SKU, START_ON_HAND } from '../frame.js'
import { SSE_ACCEPT } from './headers.js'
import { startNodeServer } from './node-server.js'
import type { Target } from './target.js'

const post = (port: number, path: string, token: string, body: unknown): Promise<number> =>
  new Promise((resolve, reject) => {
    const text = JSON.stringify(body)
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
        },
      },
      (response) => {
        response.resume()
        response.once('end', () => resolve(response.statusCode ?? 0))
      },
    )
    request.once('error', reject)
    request.end(text)
  })

export const shelfsyncTarget: Target = {
  name: 'Shelfsync',
  unavailable: async () => null,
  async start({ clients }) {
    const dir = mkdtempSync(join(os.tmpdir(), 'shelfsync-bench-'))
    const secret = randomBytes(24).toString('hex')
    const server = await startNodeServer('shelfsync', {
      env: { BENCH_DB: join(dir, 'bench.db'), BENCH_SECRET: secret },
    })
    const now = Date.now()
    const admin = signToken(secret, { user: 'admin', ttlMs: 3_600_000, now })
    const tokens = Array.from({ length: clients }, (_, i) =>
      signToken(secret, { user: `reader-${i}`, ttlMs: 3_600_000, now }),
    )
    const stop = async () => {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
    try {
      const created = await post(server.port, '/api/products', admin, {
        sku: SKU,
        title: 'Bench product',
        priceCents: 100,
        onHand: START_ON_HAND,
      })
      if (created !== 201) throw new Error(`creating the bench product answered ${created}`)
    } catch (error) {
      // No trial owns the server yet: stop it here, or it would load core 0 for the rest of the run.
      await stop()
      throw error
    }
    const restock = JSON.stringify({ qty: 1 })
    return {
      stream: { port: server.port, path: '/api/events', headers: SSE_ACCEPT, tokens },
      write: () => ({
        port: server.port,
        path: `/api/products/${SKU}/restock`,
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: restock,
      }),
      pids: () => [server.pid],
      settle: server.gc,
      profile: server.profile,
      stop,
    }
  },
}
