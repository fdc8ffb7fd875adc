// What an open stream lets go of (src/server/stream/idle-memory.ts), checked against the Node and
// @hono/node-server versions installed: if one of them changes, these say the trick went quiet.
import http, { type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { forgetParsedHeaders, releaseSentHead } from '../../src/server/stream/idle-memory.js'

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

describe('releaseSentHead', () => {
  type HeadState = { _header: unknown; _headerSent: unknown }

  it('lets go of the head once it has gone out, and the response goes on as before', async () => {
    const seen: Array<[boolean, boolean]> = []
    const server = http.createServer((_req, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
      const before = releaseSentHead(res) // not sent yet: Node still needs it for the first write
      res.write('retry: 1000\n\n')
      const after = releaseSentHead(res)
      seen.push([before, after])
      expect(String((res as unknown as HeadState)._header).length).toBe(1)
      expect(res.headersSent).toBe(true)
      expect(() => res.setHeader('X-Late', '1')).toThrow(/after they are sent/)
      res.write('data: x\n\n')
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const answer = await fetch(`http://127.0.0.1:${port}/`)
      expect(answer.status).toBe(200)
      expect(answer.headers.get('content-type')).toBe('text/event-stream')
      expect(answer.headers.get('cache-control')).toBe('no-cache')
      expect(await answer.text()).toBe('retry: 1000\n\ndata: x\n\n')
      expect(seen).toEqual([[false, true]])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    expect(releaseSentHead({} as ServerResponse)).toBe(false)
  })
})
