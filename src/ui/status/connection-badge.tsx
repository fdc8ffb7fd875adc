// A badge saying whether this screen is live, reconnecting or offline. It is a status that a
// screen reader announces, unless `announce` is false: a page of several badges (the Demo page's
// panels) would otherwise say every change once per badge.
import type { ReactNode } from 'react'
import { selectConnection } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { badgeOf } from './connection-view.js'

export const ConnectionBadge = ({ announce = true }: { announce?: boolean }): ReactNode => {
  const view = badgeOf(useShop(selectConnection))
  return (
    <span
      className={`badge badge--${view.state}`}
      data-testid="connection-badge"
      data-state={view.state}
      role={announce ? 'status' : undefined}
      title={view.detail}
    >
      <span className="badge__dot" aria-hidden="true" />
      <span className="sr-only">Connection: </span>
      {view.label}
    </span>
  )
}
