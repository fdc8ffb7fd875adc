// `shelfsync/client`: the client SDK without React. Runs in browsers and in Node 20.

export type {
  CartLine,
  CartLineAnswer,
  Commit,
  Order,
  OrderAnswer,
  OrderStatus,
  Position,
  Problem,
  Product,
  ProductAnswer,
  SeqAnswer,
  Snapshot,
  SnapshotEventData,
  SnapshotReason,
} from '../actions/index.js'
export type { ShopClient, ShopClientOptions } from './client.js'
export { createShopClient } from './client.js'
export type {
  ClientAction,
  ClientActionType,
  CommandAcknowledged,
  CommandRefused,
  CommandSent,
  CommitEvent,
  CommitReceived,
  CommitsReceived,
  NoticeDismissed,
  SessionChanged,
  SnapshotReceived,
  StatusChanged,
  WatchStarted,
  WatchStopped,
} from './client-actions.js'
export type { CommandDeps, ShopCommands } from './commands.js'
export { createCommands } from './commands.js'
export type { AnyAction, Dispatcher } from './dispatcher.js'
export { createDispatcher } from './dispatcher.js'
export type { CommandResult, Http, HttpOptions, HttpRequest } from './http.js'
export { createHttp } from './http.js'
export { createIdMaker } from './ids.js'
export { shopReducer } from './reducers/index.js'
export { problemSentence } from './reducers/notices.js'
export type { ButtonState, InventoryRow, OrderChange, Selector } from './selectors.js'
export {
  remainingMs,
  selectButton,
  selectCartLine,
  selectCartLines,
  selectCartTotalCents,
  selectCheckingOut,
  selectConnection,
  selectHasPending,
  selectInventory,
  selectIsPending,
  selectLoaded,
  selectNotices,
  selectOpenOrders,
  selectOrder,
  selectOrderChange,
  selectOrders,
  selectProduct,
  selectProducts,
  selectSession,
  serverNow,
} from './selectors.js'
export type {
  CommandIntent,
  CommandKind,
  HeldLine,
  Notice,
  PendingCommand,
  ProductView,
  SentCommand,
  SessionInfo,
  ShopData,
  ShopState,
} from './state.js'
export { initialShopState } from './state.js'
export type { ReadonlyShopStore, ShopStore } from './store.js'
export { createShopStore } from './store.js'
export type {
  ConnectionError,
  ConnectionInfo,
  ConnectionStatus,
  LocalErrorCode,
  SyncConnection,
  SyncHandlers,
  SyncOptions,
  Timers,
} from './sync/index.js'
export { createSyncConnection, realTimers } from './sync/index.js'
