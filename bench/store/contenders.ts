// The stores compared: Shelfsync's, Redux Toolkit with the same reducer logic (one dispatch per
// action, as it is usually written, and one per commit), and a hand-written reducer without immer
// (the ceiling). Each applies a snapshot, then commits.
import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit'
import type { ActionOf, Commit, Product, SnapshotEventData } from '../../src/actions/index.js'
import { formatPosition } from '../../src/actions/index.js'
import type * as StoreModule from '../../src/store/store.js'
import { importBuilt } from '../lib/built.js'
import type { Figures } from './workload.js'

const { createShopStore } = await importBuilt<typeof StoreModule>('store/store.js')

export interface Contender {
  name: string
  load(snapshot: SnapshotEventData): void
  apply(commit: Commit): void
  /** The product's figures now, to check that every contender did all the work. */
  figuresOf(sku: string): Figures | undefined
}

type StockChanged = ActionOf<'stock/changed'>['payload']
type Row = Product & { available: number }

const figures = (row: Row | undefined): Figures | undefined =>
  row && { onHand: row.onHand, held: row.held, version: row.version, available: row.available }

export const shelfsync = (): Contender => {
  const { store, dispatch } = createShopStore()
  return {
    name: 'shelfsync store',
    load: (data) =>
      dispatch({
        type: 'sync/snapshot-received',
        data,
        id: formatPosition(data.epoch, data.seq),
        receivedAt: Date.now(),
      }),
    apply: (commit) =>
      dispatch({
        type: 'sync/commit-received',
        commit,
        id: formatPosition('benchepoch01', commit.seq),
      }),
    figuresOf: (sku) => figures(store.getState().view.products[sku]),
  }
}

const shopSlice = () =>
  createSlice({
    name: 'shop',
    initialState: { products: {} as Record<string, Row>, seq: 0 },
    reducers: {
      snapshotReceived(state, action: PayloadAction<SnapshotEventData>) {
        state.products = {}
        for (const p of action.payload.products) {
          state.products[p.sku] = { ...p, available: Math.max(0, p.onHand - p.held) }
        }
        state.seq = action.payload.seq
      },
      stockChanged(state, action: PayloadAction<StockChanged>) {
        const p = state.products[action.payload.sku]
        if (!p || action.payload.version <= p.version) return
        Object.assign(p, action.payload)
        p.available = Math.max(0, p.onHand - p.held)
      },
      commitReceived(state, action: PayloadAction<Commit>) {
        if (action.payload.seq <= state.seq) return
        for (const a of action.payload.actions) {
          if (a.type !== 'stock/changed') continue
          const p = state.products[a.payload.sku]
          if (!p || a.payload.version <= p.version) continue
          Object.assign(p, a.payload)
          p.available = Math.max(0, p.onHand - p.held)
        }
        state.seq = action.payload.seq
      },
    },
  })

const reduxStore = (slice: ReturnType<typeof shopSlice>) =>
  configureStore({
    reducer: slice.reducer,
    middleware: (defaults) => defaults({ immutableCheck: false, serializableCheck: false }),
    devTools: false,
  })

/** Redux Toolkit as it is usually written: one slice, one dispatch per action. */
export const reduxToolkit = (): Contender => {
  const slice = shopSlice()
  const store = reduxStore(slice)
  return {
    name: 'redux toolkit, dispatch per action',
    load: (data) => store.dispatch(slice.actions.snapshotReceived(data)),
    apply: (commit) => {
      for (const action of commit.actions) {
        if (action.type === 'stock/changed')
          store.dispatch(slice.actions.stockChanged(action.payload))
      }
    },
    figuresOf: (sku) => figures(store.getState().products[sku]),
  }
}

/** Redux Toolkit batched like ours: one dispatch, one immer `produce`, per commit. */
export const reduxToolkitPerCommit = (): Contender => {
  const slice = shopSlice()
  const store = reduxStore(slice)
  return {
    name: 'redux toolkit, dispatch per commit',
    load: (data) => store.dispatch(slice.actions.snapshotReceived(data)),
    apply: (commit) => store.dispatch(slice.actions.commitReceived(commit)),
    figuresOf: (sku) => figures(store.getState().products[sku]),
  }
}

/** No immer, no library: copy the products record once per commit, replace what changed. */
export const handWritten = (): Contender => {
  let state = { products: {} as Record<string, Row>, seq: 0 }
  const listeners = new Set<() => void>()
  return {
    name: 'hand-written (ceiling)',
    load: (data) => {
      const products: Record<string, Row> = {}
      for (const p of data.products) {
        products[p.sku] = { ...p, available: Math.max(0, p.onHand - p.held) }
      }
      state = { products, seq: data.seq }
      for (const l of listeners) l()
    },
    apply: (commit) => {
      if (commit.seq <= state.seq) return
      const products = { ...state.products }
      for (const action of commit.actions) {
        if (action.type !== 'stock/changed') continue
        const p = products[action.payload.sku]
        if (!p || action.payload.version <= p.version) continue
        products[action.payload.sku] = {
          ...p,
          ...action.payload,
          available: Math.max(0, action.payload.onHand - action.payload.held),
        }
      }
      state = { products, seq: commit.seq }
      for (const l of listeners) l()
    },
    figuresOf: (sku) => figures(state.products[sku]),
  }
}
