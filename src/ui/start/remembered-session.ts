// Staying signed in across a reload (demo mode). The name signed in with is kept in this tab's
// sessionStorage, and the app signs in with it again when it starts: each tab keeps its own user,
// so two tabs can be two customers (the session cookie is shared by every tab and would not do).
import type { ShopClient } from '../../store/index.js'

const KEY = 'shelfsync.user'

/** This tab's storage, or null where it is unavailable (blocked, private mode, no window). */
const tabStorage = (): Storage | null => {
  try {
    return globalThis.sessionStorage ?? null
  } catch {
    return null
  }
}

export const rememberUser = (user: string, storage = tabStorage()): void => {
  try {
    storage?.setItem(KEY, user)
  } catch {
    // Full or blocked storage: a reload shows the sign-in form, as without this.
  }
}

/** Forgets this tab's user: a reload shows the sign-in form. */
const forgetUser = (storage: Storage | null): void => {
  try {
    storage?.removeItem(KEY)
  } catch {
    // Blocked storage: nothing was kept either.
  }
}

/** The user this tab signed in as, if any. */
export const rememberedUser = (storage = tabStorage()): string | null => {
  try {
    return storage?.getItem(KEY) ?? null
  } catch {
    return null
  }
}

// One restore per client at a time: React's StrictMode runs the app's effects twice in
// development, and a second sign-in would reconnect the stream the first had just opened.
const restoring = new WeakMap<ShopClient, Promise<boolean>>()

/**
 * Signs in again as the user this tab had, and starts following the shop. Resolves with whether
 * it did. A sign-in the server refuses (4xx: demo mode turned off since) forgets the name; one
 * that could not reach it (a restart, the network) keeps it for the next reload.
 */
export const restoreSession = (client: ShopClient, storage = tabStorage()): Promise<boolean> => {
  const running = restoring.get(client)
  if (running !== undefined) return running
  const restore = async (): Promise<boolean> => {
    const user = rememberedUser(storage)
    if (user === null) return false
    const result = await client.signIn(user)
    if (!result.ok) {
      if (result.problem.status >= 400 && result.problem.status < 500) forgetUser(storage)
      return false
    }
    client.start()
    return true
  }
  const promise = restore().finally(() => restoring.delete(client))
  restoring.set(client, promise)
  return promise
}
