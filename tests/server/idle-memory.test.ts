// What an open stream lets go of (src/server/stream/idle-memory.ts), checked against the Node and
// @hono/node-server versions installed: if one of them changes, these say the trick went quiet.
import http, { type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { flattenHead, forgetParsedHeaders } from '../../src/server/stream/idle-memory.js'

describe('forgetParsedHeaders', () => {
  it("drops @hono/node-server's parsed headers, which it parses again when asked", async () => {
    const app = new Hono().get('/probe', (c) => {
      const before = c.req.header('x-probe')
      const dropped = forgetParsedHeaders(c.req.raw)
      return c.json({ before, dropped, after: c.req.header('x-probe') })
    })
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    try {
      const { port } = server.address() as AddressInfo
      const answer = await fetch(`http://127.0.0.1:${port}/probe`, {
        headers: { 'X-Probe': 'kept' },
      })
      expect(await answer.json()).toEqual({ before: 'kept', dropped: true, after: 'kept' })
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('leaves a web Request as it is', () => {
    const request = new Request('http://127.0.0.1/probe', { headers: { 'X-Probe': 'kept' } })
    expect(forgetParsedHeaders(request)).toBe(false)
    expect(request.headers.get('x-probe')).toBe('kept')
  })
})

describe('flattenHead', () => {
  it('keeps the response head Node sends, byte for byte, and ignores a response without one', async () => {
    const heads: string[] = []
    const server = http.createServer((_req, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
      const before = String((res as unknown as { _header: string })._header)
      flattenHead(res)
      heads.push(before, String((res as unknown as { _header: string })._header))
      res.end('data: x\n\n')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const answer = await fetch(`http://127.0.0.1:${port}/`)
      expect(answer.headers.get('content-type')).toBe('text/event-stream')
      expect(await answer.text()).toBe('data: x\n\n')
      expect(heads[1]).toBe(heads[0])
      expect(heads[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    expect(() => flattenHead({} as ServerResponse)).not.toThrow()
  })
})
