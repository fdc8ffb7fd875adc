// @vitest-environment jsdom
// Section names: on a screen of its own a section is named by its heading; inside a Demo panel
// the panel's title comes first, so a screen reader's landmark list tells the panels apart.
import { cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { HeadingLevel } from '../../src/ui/layout/heading.js'
import { ShopView } from '../../src/ui/shop/shop-view.js'
import { createHarness, TICKET } from './support/shop-harness.js'

afterEach(cleanup)

const regions = (): string[] =>
  screen.getAllByRole('region').map((region) => {
    const ids = region.getAttribute('aria-labelledby')?.split(' ') ?? []
    return ids.map((id) => document.getElementById(id)?.textContent).join(' ')
  })

describe('section names', () => {
  it('names the sections of a screen by their headings', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(<ShopView />)
    expect(regions()).toEqual(['Products', 'Your cart'])
    expect(screen.getByRole('region', { name: 'Products' })).toBeTruthy()
  })

  it('puts the panel’s title first inside a Demo panel, with headings a level down', () => {
    const shop = createHarness()
    shop.snapshot({ products: [TICKET] })
    shop.render(
      <section aria-labelledby="panel-title">
        <h2 id="panel-title">Customer 1</h2>
        <HeadingLevel level={3} titleId="panel-title">
          <ShopView />
        </HeadingLevel>
      </section>,
    )
    expect(regions()).toEqual(['Customer 1', 'Customer 1 Products', 'Customer 1 Your cart'])
    expect(screen.getByRole('region', { name: 'Customer 1 Your cart' })).toBeTruthy()
    expect(screen.getByRole('heading', { level: 3, name: 'Your cart' })).toBeTruthy()
  })
})
