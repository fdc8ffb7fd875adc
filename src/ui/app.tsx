// The app: the header, and the screen the location hash names. The Demo page brings its own
// clients; every other screen uses the app's client.
import type { ReactNode } from 'react'
import type { ShopClient } from '../store/index.js'
import { ShopProvider } from '../store/react.js'
import { DemoPage } from './demo/demo-page.js'
import { AppHeader } from './layout/app-header.js'
import type { Route } from './routing/routes.js'
import { useHashRoute } from './routing/use-hash-route.js'
import { InventoryScreen } from './screens/inventory-screen.js'
import { ShopScreen } from './screens/shop-screen.js'
import { StartPage } from './start/start-page.js'

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

export const App = ({ client }: { client: ShopClient }): ReactNode => {
  const route = useHashRoute()
  return (
    <ShopProvider client={client}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader route={route} />
      <main id="main" className={route === 'demo' ? 'main main--wide' : 'main'}>
        {screenOf(route)}
      </main>
    </ShopProvider>
  )
}
