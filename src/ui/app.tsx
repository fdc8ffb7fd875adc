// The app: the header, and the screen the location hash names. The Demo page brings its own
// clients; every other screen uses the app's client.
import type { MouseEvent, ReactNode } from 'react'
import { useEffect, useState } from 'react'
import type { ShopClient } from '../store/index.js'
import { ShopProvider } from '../store/react.js'
import { DemoPage } from './demo/demo-page.js'
import { AppHeader } from './layout/app-header.js'
import type { Route } from './routing/routes.js'
import { useHashRoute } from './routing/use-hash-route.js'
import { InventoryScreen } from './screens/inventory-screen.js'
import { ShopScreen } from './screens/shop-screen.js'
import { rememberedUser, restoreSession } from './start/remembered-session.js'
import { StartPage } from './start/start-page.js'

/**
 * Signs this tab's user in again after a reload (`restoreSession`); the name while it does, then
 * null. The Demo page is not held up: it brings its own clients.
 */
const useRestoredSession = (client: ShopClient): string | null => {
  const [restoring, setRestoring] = useState(() =>
    client.store.getState().session === null ? rememberedUser() : null,
  )
  useEffect(() => {
    if (restoring === null) return
    let current = true
    void restoreSession(client).finally(() => {
      if (current) setRestoring(null)
    })
    return () => {
      current = false
    }
  }, [client, restoring])
  return restoring
}

const screenOf = (route: Route): ReactNode => {
  switch (route) {
    case 'start':
      return <StartPage />
    case 'shop':
      return <ShopScreen />
    case 'inventory':
      return <InventoryScreen />
    case 'demo':
      return <DemoPage />
  }
}

/**
 * The skip link moves the focus to the content without following its `#main`: the location hash
 * names the screen, and `#main` is none of them (it would open the start page).
 */
const skipToMain = (event: MouseEvent<HTMLAnchorElement>): void => {
  event.preventDefault()
  event.currentTarget.ownerDocument.getElementById('main')?.focus()
}

export const App = ({ client }: { client: ShopClient }): ReactNode => {
  const route = useHashRoute()
  const restoring = useRestoredSession(client)
  return (
    <ShopProvider client={client}>
      {/* biome-ignore lint/a11y/useValidAnchor: it is page navigation; the handler only keeps the hash, which names the screen. */}
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <AppHeader route={route} />
      <main id="main" tabIndex={-1} className={route === 'demo' ? 'main main--wide' : 'main'}>
        {restoring !== null && route !== 'demo' ? (
          <p className="hint" role="status" data-testid="restoring">
            Signing you back in as {restoring}…
          </p>
        ) : (
          screenOf(route)
        )}
      </main>
    </ShopProvider>
  )
}
