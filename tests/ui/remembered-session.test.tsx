// @vitest-environment jsdom
// A reload keeps the tab signed in (demo mode): the name is kept in the tab's sessionStorage and
// signed in again when the app starts.
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ShopClient, SyncConnection } from '../../src/store/index.js'
import { createShopClient } from '../../src/store/index.js'
import { App } from '../../src/ui/app.js'
import { rememberedUser, restoreSession } from '../../src/ui/start/remembered-session.js'

/** A client with no session whose server answers POST /api/session with `status`. */
const clientAnswering = (status: 200 | 404 | 503) => {
  const sent: Array<{ method: string; path: string; body: unknown }> = []
  let started = 0
  const connection: SyncConnection = {
    start() {
      started += 1
    },
    stop() {},
    reconnect() {},
    info: { status: 'closed', attempt: 0, lastError: null, retryAt: null },
  }
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
    sent.push({ method: init?.method ?? 'GET', path: new URL(String(url)).pathname, body })
    const answer =
      status === 200
        ? { token: 'tok', user: body?.user, role: 'customer' }
        : {
            type: 'about:blank',
            title: 'Not Found',
            status,
            detail: 'demo off',
            code: 'route/not-found',
          }
    return new Response(JSON.stringify(answer), {
      status,
      headers: { 'Content-Type': 'application/json' },
    })
  }
  const client: ShopClient = createShopClient({
    baseUrl: 'http://shop.test',
    fetch: fetch as typeof globalThis.fetch,
    connect: () => connection,
    retries: 0,
  })
  return { client, sent, started: () => started }
}

beforeEach(() => sessionStorage.clear())
afterEach(cleanup)

describe('the remembered session', () => {
  it('signs the tab in again as the user it had, and starts following the shop', async () => {
    sessionStorage.setItem('shelfsync.user', 'ann')
    const { client, sent, started } = clientAnswering(200)
    expect(await restoreSession(client)).toBe(true)
    expect(sent).toEqual([{ method: 'POST', path: '/api/session', body: { user: 'ann' } }])
    expect(client.store.getState().session).toEqual({ user: 'ann', role: 'customer' })
    expect(started()).toBe(1)
  })

  it('forgets the name when signing in again is refused (demo mode turned off)', async () => {
    sessionStorage.setItem('shelfsync.user', 'ann')
    const { client, started } = clientAnswering(404)
    expect(await restoreSession(client)).toBe(false)
    expect(rememberedUser()).toBeNull()
    expect(client.store.getState().session).toBeNull()
    expect(started()).toBe(0)
  })

  it('keeps the name when the server could not be reached, for the next reload', async () => {
    sessionStorage.setItem('shelfsync.user', 'ann')
    const { client } = clientAnswering(503)
    expect(await restoreSession(client)).toBe(false)
    expect(rememberedUser()).toBe('ann')
  })

  it('signs in once when asked twice at the same time (StrictMode runs effects twice)', async () => {
    sessionStorage.setItem('shelfsync.user', 'ann')
    const { client, sent, started } = clientAnswering(200)
    const [first, second] = await Promise.all([restoreSession(client), restoreSession(client)])
    expect([first, second]).toEqual([true, true])
    expect(sent).toHaveLength(1)
    expect(started()).toBe(1)
  })

  it('does nothing for a tab that never signed in', async () => {
    const { client, sent } = clientAnswering(200)
    expect(await restoreSession(client)).toBe(false)
    expect(sent).toEqual([])
  })

  it('is kept by the sign-in form, and a reloaded app opens the shop, not the sign-in form', async () => {
    window.location.hash = '#/shop'
    const first = clientAnswering(200)
    const page = render(<App client={first.client} />)
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'ann' } })
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await screen.findByRole('heading', { level: 1, name: 'Shop' })
    expect(rememberedUser()).toBe('ann')
    page.unmount()

    // The reload: a new client, no session in it, the same tab.
    const reloaded = clientAnswering(200)
    render(<App client={reloaded.client} />)
    expect(screen.getByTestId('restoring').textContent).toBe('Signing you back in as ann…')
    await screen.findByRole('heading', { level: 1, name: 'Shop' })
    expect(screen.queryByLabelText('Your name')).toBeNull()
    expect(screen.getByTestId('signed-in-as').textContent).toBe('Signed in as ann')
  })
})
