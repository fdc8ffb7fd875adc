// Who may see an action (protocol §stream 5): private actions carry their `user`.
import type { Action } from './types.js'

/** The user an action is meant for, or `null` when it is public. */
export const audienceOf = (action: Action): string | null =>
  'user' in action.payload ? action.payload.user : null

/** The actions of a commit that `user` may see, in their original order. */
export const visibleTo = (actions: readonly Action[], user: string): Action[] =>
  actions.filter((action) => {
    const audience = audienceOf(action)
    return audience === null || audience === user
  })
