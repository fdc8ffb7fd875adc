// @vitest-environment jsdom
// The connection badge: the sync connection's status in three words a person understands.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionInfo } from '../../src/store/index.js'
import { ConnectionBadge } from '../../src/ui/status/connection-badge.js'
import { createHarness } from './support/shop-harness.js'

afterEach(cleanup)

const info = (fields: Partial<ConnectionInfo>): ConnectionInfo => ({
  status: 'live',
  attempt: 0,
  lastError: null,
  retryAt: null,
  ...fields,
})

describe('the connection badge', () => {
  it.each([
    [info({ status: 'live' }), 'live', 'Connection: Live'],
    [info({ status: 'connecting', attempt: 0 }), 'reconnecting', 'Connection: Connecting…'],
    [info({ status: 'backoff', attempt: 2 }), 'reconnecting', 'Connection: Reconnecting…'],
    [
      info({ status: 'backoff', lastError: { code: 'offline', message: 'offline' } }),
      'offline',
      'Connection: Offline',
    ],
    [info({ status: 'unauthorized' }), 'offline', 'Connection: Signed out'],
    // Only while the page is hidden; shown again, it connects and catches up by itself.
    [info({ status: 'paused' }), 'reconnecting', 'Connection: Paused'],
    [info({ status: 'closed' }), 'offline', 'Connection: Offline'],
  ])('shows %o as %s', (connection, state, text) => {
    const shop = createHarness()
    shop.render(<ConnectionBadge />)
    act(() => shop.client.dispatch({ type: 'sync/status-changed', info: connection }))
    const badge = screen.getByRole('status')
    expect(badge.dataset.state).toBe(state)
    expect(badge.textContent).toBe(text)
  })

  it('is no live status when told not to announce (one of many on a page)', () => {
    const shop = createHarness()
    shop.render(<ConnectionBadge announce={false} />)
    expect(screen.queryByRole('status')).toBeNull()
    expect(screen.getByTestId('connection-badge').textContent).toBe('Connection: Live')
  })
})
