// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Commit, SnapshotEventData } from '../../src/actions/index.js'
import type { ShopClient } from '../../src/store/client.js'
import { createShopClient } from '../../src/store/client.js'
import { ShopProvider, useShop, useShopClient } from '../../src/store/react.js'
import { selectButton, selectProduct, selectProducts } from '../../src/store/selectors.js'
import type { ShopState } from '../../src/store/state.js'
import type { SyncHandlers } from '../../src/store/sync/index.js'

const product = (sku: string, onHand: number, version = 1) => ({
  sku,
  title: sku.toUpperCase(),
  priceCents: 100,
  onHand,
  held: 0,
  version,
})

/** A client on a fresh store whose stream the test plays through `handlers`. */
const makeClient = (): { client: ShopClient; handlers: SyncHandlers } => {
  let handlers: SyncHandlers | undefined
  const client = createShopClient({
    baseUrl: '',
    // The server never answers: whatever the screen shows comes from the optimistic view.
    fetch: (() => new Promise<Response>(() => {})) as unknown as typeof fetch,
    connect: (given) => {
      handlers = given
      return {
        start() {},
        stop() {},
        reconnect() {},
        info: { status: 'closed', attempt: 0, lastError: null, retryAt: null },
      }
    },
  })
  if (handlers === undefined) throw new Error('connect was not called')
  const snapshot: SnapshotEventData = {
    epoch: 'epochone1',
    seq: 1,
    serverTime: 0,
    products: [product('a', 1), product('b', 1)],
    cart: [],
    orders: [],
    reason: 'initial',
  }
  handlers.onSnapshot(snapshot, 'epochone1:1')
  return { client, handlers }
}

const restockCommit = (seq: number, sku: string, onHand: number, version: number): Commit => ({
  seq,
  at: 0,
  actions: [{ type: 'stock/changed', payload: { sku, onHand, held: 0, version } }],
})

type Renders = Record<string, number>

const Stock = ({ sku, renders }: { sku: string; renders: Renders }) => {
  renders[sku] = (renders[sku] ?? 0) + 1
  const found = useShop(selectProduct(sku))
  return <p data-testid={sku}>{found?.onHand}</p>
}

const ButtonOf = ({ sku }: { sku: string }) => (
  <button type="button">{useShop(selectButton(sku))}</button>
)

const sameList = (x: string[], y: string[]) =>
  x.length === y.length && x.every((item, i) => item === y[i])
const selectTitles = (state: ShopState) => selectProducts(state).map((p) => p.title)

const Titles = ({ renders }: { renders: Renders }) => {
  renders.titles = (renders.titles ?? 0) + 1
  const titles = useShop(selectTitles, sameList)
  return <p>{titles.join(',')}</p>
}

const Add = ({ sku }: { sku: string }) => {
  const shop = useShopClient()
  const button = useShop(selectButton(sku))
  return (
    <button type="button" onClick={() => void shop.setCartQty(sku, 1)}>
      {button}
    </button>
  )
}

const Lost = () => {
  useShopClient()
  return null
}

afterEach(cleanup)

describe('React bindings', () => {
  it('re-renders a component only when the product it selects changes', () => {
    const { client, handlers } = makeClient()
    const renders: Renders = {}
    render(
      <ShopProvider client={client}>
        <Stock sku="a" renders={renders} />
        <Stock sku="b" renders={renders} />
      </ShopProvider>,
    )
    expect(renders).toEqual({ a: 1, b: 1 })

    act(() => handlers.onCommit(restockCommit(2, 'b', 5, 2), 'epochone1:2'))
    expect(screen.getByTestId('b').textContent).toBe('5')
    expect(renders).toEqual({ a: 1, b: 2 })

    act(() => handlers.onStatus({ status: 'live', attempt: 0, lastError: null, retryAt: null }))
    expect(renders).toEqual({ a: 1, b: 2 })
  })

  it('shows the button of the brief and follows it as stock changes', () => {
    const { client, handlers } = makeClient()
    render(
      <ShopProvider client={client}>
        <ButtonOf sku="a" />
      </ShopProvider>,
    )
    expect(screen.getByRole('button').textContent).toBe('add')
    act(() => handlers.onCommit(restockCommit(2, 'a', 0, 2), 'epochone1:2'))
    expect(screen.getByRole('button').textContent).toBe('sold-out')
  })

  it('uses the equality function to skip re-renders of equal derived values', () => {
    const { client, handlers } = makeClient()
    const renders: Renders = {}
    render(
      <ShopProvider client={client}>
        <Titles renders={renders} />
      </ShopProvider>,
    )
    act(() => handlers.onCommit(restockCommit(2, 'a', 9, 2), 'epochone1:2'))
    expect(renders.titles).toBe(1)
    expect(screen.getByText('A,B')).toBeTruthy()
  })

  it('gives components the client, and a click shows its effect before the server answers', async () => {
    const { client } = makeClient()
    render(
      <ShopProvider client={client}>
        <Add sku="a" />
      </ShopProvider>,
    )
    await act(async () => screen.getByRole('button').click())
    expect(screen.getByRole('button').textContent).toBe('remove')
  })

  it('explains what is missing when a hook is used outside the provider', () => {
    const quiet = console.error
    console.error = () => {}
    try {
      expect(() => render(<Lost />)).toThrow(/Wrap the component tree in\s+<ShopProvider/)
    } finally {
      console.error = quiet
    }
  })
})
