// The one-way Flux dispatcher: every client-side action passes through `dispatch`, one at a time.
//
// Choices, written down because the issue leaves them to us:
// - A dispatch inside a dispatch is refused, for every action alike, with flux's teaching message.
//   Reducers are pure, so nothing legitimate can dispatch while one runs.
// - Network-driven actions (`sync/*`, command answers) are dispatched directly, not queued: they
//   arrive from event-loop callbacks (a stream chunk, a settled fetch), which can never run while a
//   synchronous dispatch is on the stack, so they cannot collide with one.
// - Listeners registered with `afterDispatch` (the store publishes its new state there, and so
//   reaches React and user code) run only once the dispatch has finished and the dispatcher is idle
//   again. A store listener may therefore dispatch; that starts a new, separate dispatch.
// - If a callback throws, the dispatcher is made idle again in `finally`, `afterDispatch`
//   listeners do not run for that action, and the error reaches the caller of `dispatch`.

/** The smallest thing the dispatcher can route: a Flux action with a string `type`. */
export interface AnyAction {
  type: string
}

export interface Dispatcher<A extends AnyAction> {
  /** Adds a callback that sees every action during the dispatch. Returns a function removing it. */
  register(callback: (action: A) => void): () => void
  /** Adds a listener that runs after each dispatch has finished; it may dispatch. */
  afterDispatch(listener: (action: A) => void): () => void
  /** Sends `action` to every registered callback, then runs the `afterDispatch` listeners. */
  dispatch(action: A): void
  /** Whether a dispatch is running right now. */
  isDispatching(): boolean
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value

/**
 * Creates a Flux dispatcher.
 *
 * @example
 * ```ts
 * const dispatcher = createDispatcher<{ type: 'counter/incremented' }>()
 * let count = 0
 * dispatcher.register(() => { count += 1 })
 * dispatcher.afterDispatch(() => console.log('now', count))
 * dispatcher.dispatch({ type: 'counter/incremented' }) // logs "now 1"
 * ```
 */
export const createDispatcher = <A extends AnyAction>(): Dispatcher<A> => {
  const callbacks = new Set<(action: A) => void>()
  const listeners = new Set<(action: A) => void>()
  let current: A | null = null

  const dispatch = (action: A): void => {
    if (typeof action !== 'object' || action === null || typeof action.type !== 'string') {
      throw new TypeError(
        `Dispatcher.dispatch(...): Actions must be plain objects with a string \`type\`, such as ` +
          `{ type: 'cart/line-set', ... }. Received ${describe(action)}.`,
      )
    }
    if (current !== null) {
      throw new Error(
        `Dispatcher.dispatch(...): Cannot dispatch in the middle of a dispatch. ` +
          `"${action.type}" was dispatched while "${current.type}" was being handled. ` +
          'Reducers and registered callbacks must be pure and may not dispatch. ' +
          'To react to a change, subscribe to the store (its listeners run after the dispatch ' +
          'has finished) and dispatch from there, or dispatch from the event handler or network ' +
          'callback that caused the change.',
      )
    }
    current = action
    try {
      for (const callback of [...callbacks]) callback(action)
    } finally {
      current = null
    }
    for (const listener of [...listeners]) listener(action)
  }

  return {
    register(callback) {
      callbacks.add(callback)
      return () => {
        callbacks.delete(callback)
      }
    },
    afterDispatch(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    dispatch,
    isDispatching: () => current !== null,
  }
}
