// The top bar of the app: name, the screens this user may open, who is signed in and the
// connection badge.
import type { ReactNode } from 'react'
import { selectSession } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import type { Route } from '../routing/routes.js'
import { hrefOf } from '../routing/routes.js'
import { ConnectionBadge } from '../status/connection-badge.js'

const NavLink = ({ to, current, children }: { to: Route; current: Route; children: ReactNode }) => (
  <a href={hrefOf(to)} className="nav__link" aria-current={to === current ? 'page' : undefined}>
    {children}
  </a>
)

export const AppHeader = ({ route }: { route: Route }): ReactNode => {
  const session = useShop(selectSession)
  return (
    <header className="app-header">
      <a href="#/" className="app-header__brand">
        Shelfsync
      </a>
      <nav className="nav" aria-label="Screens">
        {session === null ? null : (
          <NavLink to="shop" current={route}>
            Shop
          </NavLink>
        )}
        {session?.role === 'admin' ? (
          <NavLink to="inventory" current={route}>
            Inventory
          </NavLink>
        ) : null}
        <NavLink to="demo" current={route}>
          Demo
        </NavLink>
      </nav>
      {session === null ? null : (
        <div className="app-header__session">
          <span className="app-header__user" data-testid="signed-in-as">
            <span className="sr-only">Signed in as </span>
            {session.user}
          </span>
          <ConnectionBadge />
          <a href="#/" className="nav__link">
            Switch user
          </a>
        </div>
      )}
    </header>
  )
}
