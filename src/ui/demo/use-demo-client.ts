// A shop client of its own for one Demo panel: signed in as `user` with the bearer token that
// `signIn` returns (so the panels do not share the page's cookie), and following its own stream.
import { useCallback, useEffect, useState } from 'react'
import type { ShopClient } from '../../store/index.js'
import { createShopClient, problemSentence } from '../../store/index.js'

export interface DemoClient {
  client: ShopClient
  /** Why signing in failed; `null` while it works or is under way. */
  error: string | null
  retry(): void
}

export const useDemoClient = (user: string): DemoClient => {
  const [client] = useState(() => createShopClient({ baseUrl: '' }))
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is how `retry` runs it again
  useEffect(() => {
    let cancelled = false
    setError(null)
    void client.signIn(user).then((result) => {
      if (cancelled) return
      if (result.ok) client.start()
      else setError(problemSentence(result.problem))
    })
    return () => {
      cancelled = true
      client.stop()
    }
  }, [client, user, attempt])

  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  return { client, error, retry }
}
