// Tokens: forged, expired, malformed and alg-swapped tokens are refused with 401 and the right
// code; the signing secret never leaves the server; it comes from SHELFSYNC_SECRET or is made once
// and kept in the database.
import { createHmac } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SESSION_COOKIE } from '../../src/actions/index.js'
import { SECRET_KEYS } from '../../src/server/auth/secret.js'
import {
  configFromEnv,
  createShelfsync,
  type Shelfsync,
  signToken,
} from '../../src/server/index.js'
import { createManualClock } from '../support/clock.js'
import { expectProblemResponse } from '../support/problem.js'
import { TEST_SECRET } from '../support/server.js'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const hmac = (algorithm: 'sha256' | 'sha512', secret: string, data: string) =>
  createHmac(algorithm, secret).update(data).digest('base64url')
/** A token whose header and claims are as given, signed HS256 with the server's own secret. */
const signedAs = (header: unknown, claims: unknown, secret = TEST_SECRET) => {
  const data = `${typeof header === 'string' ? header : b64(header)}.${typeof claims === 'string' ? claims : b64(claims)}`
  return `${data}.${hmac('sha256', secret, data)}`
}

// Every answer and log line of a test, scanned for the secret at the end.
let seen: string[] = []
const logs: string[] = []
const record = async (response: Response): Promise<Response> => {
  const text = await response.clone().text()
  seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`)
  return response
}
const expectSecretNowhere = (secret: string) => {
  for (const answer of [...seen, ...logs]) expect(answer).not.toContain(secret)
}

let shop: Shelfsync
let clock = createManualClock()
const now = () => Math.floor(clock.now() / 1000)
const bearer = async (token: string) =>
  record(await shop.app.request('/api/snapshot', { headers: { Authorization: `Bearer ${token}` } }))
const cookie = async (token: string) =>
  record(
    await shop.app.request('/api/snapshot', { headers: { Cookie: `${SESSION_COOKIE}=${token}` } }),
  )

beforeEach(() => {
  seen = []
  logs.length = 0
  clock = createManualClock()
  shop = createShelfsync({
    db: ':memory:',
    demo: false,
    secret: TEST_SECRET,
    clock,
    log: (message, error) => void logs.push(`${message} ${String(error)}`),
  })
})
afterEach(async () => {
  expectSecretNowhere(TEST_SECRET)
  expect(logs).toEqual([])
  await shop.close()
})

describe('a token signed with the server’s secret', () => {
  it('is accepted, by bearer and by cookie', async () => {
    const token = shop.signToken('ann')
    expect((await bearer(token)).status).toBe(200)
    expect((await cookie(token)).status).toBe(200)
  })
})

describe('forged tokens', () => {
  it('refuses a token signed with another secret with 401 auth/invalid', async () => {
    const forged = signToken('another-secret-of-32-characters!', {
      user: 'admin',
      now: clock.now(),
    })
    await expectProblemResponse(await bearer(forged), 401, 'auth/invalid')
    await expectProblemResponse(await cookie(forged), 401, 'auth/invalid')
  })

  it('refuses claims swapped under a genuine signature', async () => {
    const [header, , signature] = shop.signToken('ann').split('.')
    const claims = b64({ sub: 'admin', iat: now(), exp: now() + 3600 })
    await expectProblemResponse(
      await bearer(`${header}.${claims}.${signature}`),
      401,
      'auth/invalid',
    )
  })

  it('refuses a genuine token whose signature was altered', async () => {
    const token = shop.signToken('ann')
    const [head, claims, signature = ''] = token.split('.')
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`
    for (const altered of [flipped, signature.slice(0, -2), `${signature}AA`, '']) {
      await expectProblemResponse(await bearer(`${head}.${claims}.${altered}`), 401, 'auth/invalid')
    }
  })
})

describe('expired tokens', () => {
  it('accepts a token until its expiry and refuses it from then on with 401 auth/expired', async () => {
    const token = shop.signToken('ann', 60_000)
    clock.advance(59_000)
    expect((await bearer(token)).status).toBe(200)
    clock.advance(1_000)
    await expectProblemResponse(await bearer(token), 401, 'auth/expired')
    await expectProblemResponse(await cookie(token), 401, 'auth/expired')
    clock.advance(365 * 24 * 3_600_000)
    await expectProblemResponse(await bearer(token), 401, 'auth/expired')
  })

  it('refuses a token without a usable expiry as invalid', async () => {
    const header = { alg: 'HS256', typ: 'JWT' }
    for (const claims of [
      { sub: 'ann', iat: now() },
      { sub: 'ann', exp: String(now() + 3600) },
      { sub: 'ann', exp: null },
      { sub: 'ann', exp: [now() + 3600] },
    ]) {
      await expectProblemResponse(await bearer(signedAs(header, claims)), 401, 'auth/invalid')
    }
    // 1e400 parses as Infinity: never a token that lasts for ever.
    const forever = signedAs(header, Buffer.from('{"sub":"ann","exp":1e400}').toString('base64url'))
    await expectProblemResponse(await bearer(forever), 401, 'auth/invalid')
  })
})

describe('malformed tokens', () => {
  it('refuses tokens that are not three base64url JSON parts with 401 auth/invalid', async () => {
    const good = shop.signToken('ann')
    const [head, claims, signature] = good.split('.')
    for (const token of [
      `${head}.${claims}`,
      `${head}.${claims}.${signature}.${signature}`,
      '..',
      `${head}..${signature}`,
      `.${claims}.${signature}`,
      good.replaceAll('.', ''),
      `${'a'.repeat(5000)}.${claims}.${signature}`,
    ]) {
      await expectProblemResponse(await bearer(token), 401, 'auth/invalid')
    }
    // Characters outside base64url reach the verifier only through the cookie.
    for (const token of ['!!!.@@@.###', '%%%.%%%.%%%', `${head}.${claims}.${signature}!`]) {
      await expectProblemResponse(await cookie(encodeURIComponent(token)), 401, 'auth/invalid')
    }
  })

  it('accepts only the exact signature it issued, not another spelling of the same bytes', async () => {
    const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const token = shop.signToken('ann')
    const [head, claims, signature = ''] = token.split('.')
    const last = BASE64URL.indexOf(signature.at(-1) as string)
    // 32 bytes in 43 characters leave two spare bits in the last one: flip one of them.
    const spareBits = `${signature.slice(0, -1)}${BASE64URL[last ^ 1]}`
    expect(Buffer.from(spareBits, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(
      true,
    )
    const variants = [
      spareBits,
      `${signature}=`,
      signature.replaceAll('-', '+').replaceAll('_', '/'),
      `${signature.slice(0, 10)}.${signature.slice(10)}`,
    ].filter((variant) => variant !== signature)
    for (const variant of variants) {
      await expectProblemResponse(await bearer(`${head}.${claims}.${variant}`), 401, 'auth/invalid')
    }
    for (const variant of [`${signature}!`, `${signature} `, `!${signature}`]) {
      await expectProblemResponse(
        await cookie(encodeURIComponent(`${head}.${claims}.${variant}`)),
        401,
        'auth/invalid',
      )
    }
  })

  it('refuses a signed header or payload that is JSON but not an object', async () => {
    const claims = { sub: 'ann', iat: now(), exp: now() + 3600 }
    for (const header of ['"HS256"', 'null', '[]', '1', '{"alg":"HS256"']) {
      const token = signedAs(Buffer.from(header).toString('base64url'), claims)
      await expectProblemResponse(await bearer(token), 401, 'auth/invalid')
    }
    for (const payload of ['"ann"', 'null', '[{"sub":"ann"}]', 'true', 'not json']) {
      const token = signedAs(
        { alg: 'HS256', typ: 'JWT' },
        Buffer.from(payload).toString('base64url'),
      )
      await expectProblemResponse(await bearer(token), 401, 'auth/invalid')
    }
  })

  it('refuses a signed token whose user is not a valid name', async () => {
    for (const sub of ['', 'a b', 'ann,bob', 'x'.repeat(65), 42, null, ['ann'], { name: 'ann' }]) {
      const token = signedAs({ alg: 'HS256', typ: 'JWT' }, { sub, iat: now(), exp: now() + 3600 })
      await expectProblemResponse(await bearer(token), 401, 'auth/invalid')
    }
  })

  it('refuses random strings as tokens, by bearer and by cookie', async () => {
    const tokenChars = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/='.split(''),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: tokenChars, minLength: 1, maxLength: 300 }),
        async (token) => {
          await expectProblemResponse(await bearer(token), 401, 'auth/invalid')
        },
      ),
      { numRuns: 150 },
    )
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200 }), async (token) => {
        const answer = await cookie(encodeURIComponent(token))
        expect(answer.status).toBe(401)
        const body = (await answer.json()) as { code: string }
        expect(['auth/invalid', 'auth/required']).toContain(body.code)
      }),
      { numRuns: 150 },
    )
  })

  it('refuses an Authorization header that is not "Bearer <token>"', async () => {
    const token = shop.signToken('ann')
    for (const header of [
      `Basic ${token}`,
      `bearer${token}`,
      `Bearer ${token} ${token}`,
      'Bearer',
      `Token ${token}`,
    ]) {
      const answer = await record(
        await shop.app.request('/api/snapshot', { headers: { Authorization: header } }),
      )
      await expectProblemResponse(answer, 401, 'auth/invalid')
    }
  })
})

describe('alg-swapped tokens', () => {
  const claims = () => ({ sub: 'admin', iat: now(), exp: now() + 3600 })
  const part = (value: unknown) => b64(value)

  it('refuses alg none, with and without a signature', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      const data = `${part({ alg, typ: 'JWT' })}.${part(claims())}`
      for (const token of [`${data}.`, data, `${data}.${hmac('sha256', TEST_SECRET, data)}`]) {
        await expectProblemResponse(await bearer(token), 401, 'auth/invalid')
      }
    }
  })

  it('refuses HS512, RS256 and other algs even when signed with the real secret', async () => {
    for (const alg of ['HS512', 'HS384', 'RS256', 'ES256', 'PS256', 'hs256', 'HS256 ', '']) {
      const data = `${part({ alg, typ: 'JWT' })}.${part(claims())}`
      for (const token of [
        `${data}.`,
        `${data}.${hmac('sha256', TEST_SECRET, data)}`,
        `${data}.${hmac('sha512', TEST_SECRET, data)}`,
        `${data}.${Buffer.alloc(256, 7).toString('base64url')}`,
      ]) {
        await expectProblemResponse(await bearer(token), 401, 'auth/invalid')
      }
    }
  })

  it('refuses a header without alg, or with alg in another type', async () => {
    for (const header of [
      { typ: 'JWT' },
      { alg: ['HS256'] },
      { alg: null },
      { alg: 'HS256', typ: 'JWE' },
    ]) {
      await expectProblemResponse(await bearer(signedAs(header, claims())), 401, 'auth/invalid')
    }
  })
})

describe('the secret', () => {
  let dir: string
  const opened: Shelfsync[] = []
  const open = (file: string, secret?: string, demo = false) => {
    const server = createShelfsync({ db: join(dir, file), demo, secret })
    opened.push(server)
    return server
  }
  const accepts = async (server: Shelfsync, token: string) =>
    (
      await record(
        await server.app.request('/api/snapshot', {
          headers: { Authorization: `Bearer ${token}` },
        }),
      )
    ).status
  const keptSecret = (file: string, key: string = SECRET_KEYS.own): string | undefined => {
    const db = new Database(join(dir, file), { readonly: true })
    try {
      return db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as
        | string
        | undefined
    } finally {
      db.close()
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shelfsync-secret-'))
  })
  afterEach(async () => {
    for (const server of opened.splice(0)) await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is made once and kept in the database: the same after reopening the same file', async () => {
    const first = open('shop.db')
    const token = first.signToken('ann')
    expect(await accepts(first, token)).toBe(200)
    await first.close()
    const kept = keptSecret('shop.db')
    expect(kept).toMatch(/^[A-Za-z0-9_-]{43,}$/)

    const reopened = open('shop.db')
    expect(await accepts(reopened, token)).toBe(200)
    expect(keptSecret('shop.db')).toBe(kept)
    expectSecretNowhere(kept as string)
  })

  it('differs between databases: a token of one is forged for another', async () => {
    const one = open('one.db')
    const other = open('other.db')
    expect(keptSecret('one.db')).not.toBe(keptSecret('other.db'))
    expect(await accepts(other, one.signToken('ann'))).toBe(401)
  })

  it('comes from SHELFSYNC_SECRET when set, and is then not stored in the database', async () => {
    const secret = 'a-host-secret-that-is-long-enough'
    const config = configFromEnv({
      SHELFSYNC_SECRET: secret,
      SHELFSYNC_DB: join(dir, 'env.db'),
      SHELFSYNC_DEMO: '0',
    })
    const server = createShelfsync(config)
    opened.push(server)
    expect(await accepts(server, signToken(secret, { user: 'ann' }))).toBe(200)
    expect(await accepts(server, signToken(TEST_SECRET, { user: 'ann' }))).toBe(401)
    expect(keptSecret('env.db')).toBeUndefined()
    await server.close()
    expect(readFileSync(join(dir, 'env.db')).includes(secret)).toBe(false)
    expectSecretNowhere(secret)
  })

  it('wins over a secret kept earlier in the same database', async () => {
    const first = open('shop.db')
    const token = first.signToken('ann')
    await first.close()
    const withEnv = open('shop.db', 'a-host-secret-that-is-long-enough')
    expect(await accepts(withEnv, token)).toBe(401)
  })

  it('made in demo mode, is not the one used once demo mode is off: a demo admin token is refused', async () => {
    const demo = open('shop.db', undefined, true)
    const signedIn = await demo.app.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'admin' }),
    })
    const { token } = (await signedIn.json()) as { token: string }
    expect(await accepts(demo, token)).toBe(200)
    await demo.close()

    const production = open('shop.db')
    expect(await accepts(production, token)).toBe(401)
    expect(await accepts(production, production.signToken('ann'))).toBe(200)
    expect(keptSecret('shop.db', SECRET_KEYS.demo)).not.toBe(keptSecret('shop.db'))
  })

  it('drops a secret kept by an earlier version, which either mode may have made', async () => {
    const first = open('shop.db')
    await first.close()
    const legacy = 'x'.repeat(43)
    const db = new Database(join(dir, 'shop.db'))
    db.prepare(`INSERT INTO meta (key, value) VALUES ('secret', ?)`).run(legacy)
    db.close()

    const reopened = open('shop.db')
    expect(await accepts(reopened, signToken(legacy, { user: 'admin' }))).toBe(401)
    expect(keptSecret('shop.db', 'secret')).toBeUndefined()
  })

  it('refuses a SHELFSYNC_SECRET shorter than 16 characters without echoing it', () => {
    expect(() => configFromEnv({ SHELFSYNC_SECRET: 'short-secret' })).toThrow(/at least 16/)
    expect(() => configFromEnv({ SHELFSYNC_SECRET: 'short-secret' })).not.toThrow(/short-secret/)
  })
})
