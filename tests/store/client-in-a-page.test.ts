// @vitest-environment jsdom
// In a page, '' and a path mean the page's own origin; a host without a scheme is still refused
// ('localhost:8787' reads as the scheme `localhost:`, and every request would fail).
import { describe, expect, it } from 'vitest'
import { createShopClient } from '../../src/store/index.js'

describe('createShopClient in a page', () => {
  it("takes '' or a path for the page's own origin", () => {
    expect(globalThis).toHaveProperty('location')
    for (const baseUrl of ['', '/shop']) {
      expect(() => createShopClient({ baseUrl }).stop(), baseUrl).not.toThrow()
    }
  })

  it('refuses a host without a scheme', () => {
    for (const baseUrl of ['localhost:8787', '127.0.0.1:8787', 'shop.example']) {
      expect(() => createShopClient({ baseUrl }), baseUrl).toThrow(/must be an http\(s\) URL/)
    }
  })
})
