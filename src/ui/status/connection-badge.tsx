// A badge saying whether this screen is live, reconnecting or offline.
import type { ReactNode } from 'react'
import { selectConnection } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { badgeOf } from './connection-view.js'

export const ConnectionBadge = (): ReactNode => {
  const view = badgeOf(useShop(selectConnection))
  return (
    <span
      className={`badge badge--${view.state}`}
      data-testid="connection-badge"
      data-state={view.state}
      role="status"
      title={view.detail}
    >
      <span className="badge__dot" aria-hidden="true" />
      <span className="sr-only">Connection: </span>
      {view.label}
    </span>
  )
}
