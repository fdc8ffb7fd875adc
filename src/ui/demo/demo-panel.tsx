// One panel of the Demo page: a customer's shop or the inventory, with its own client, badge and
// notices.
import type { ReactNode } from 'react'
import { useId } from 'react'
import { selectSession } from '../../store/index.js'
import { ShopProvider, useShop } from '../../store/react.js'
import { InventoryView } from '../inventory/inventory-view.js'
import { HeadingLevel } from '../layout/heading.js'
import { NoticeRegion } from '../notices/notice-region.js'
import { ShopView } from '../shop/shop-view.js'
import { ConnectionBadge } from '../status/connection-badge.js'
import { useDemoClient } from './use-demo-client.js'

export interface DemoPanelProps {
  title: string
  user: string
  kind: 'shop' | 'inventory'
  testId: string
}

const PanelBody = ({ kind }: { kind: DemoPanelProps['kind'] }): ReactNode => {
  const session = useShop(selectSession)
  if (session === null) return <p className="hint">Signing in…</p>
  return kind === 'shop' ? <ShopView /> : <InventoryView />
}

export const DemoPanel = ({ title, user, kind, testId }: DemoPanelProps): ReactNode => {
  const { client, error, retry } = useDemoClient(user)
  const headingId = useId()
  return (
    <section className="panel" aria-labelledby={headingId} data-testid={testId} data-focus-scope>
      <ShopProvider client={client}>
        <header className="panel__head">
          <h2 id={headingId} className="panel__title" tabIndex={-1} data-focus-home>
            {title}
          </h2>
          <span className="panel__user">
            as <code>{user}</code>
          </span>
          <ConnectionBadge announce={false} />
        </header>
        {error === null ? (
          <HeadingLevel level={3} titleId={headingId}>
            <PanelBody kind={kind} />
          </HeadingLevel>
        ) : (
          <div className="form-error" role="alert">
            <p>
              Could not sign in as {user}: {error}
            </p>
            <button type="button" className="button" onClick={retry}>
              Try again
            </button>
          </div>
        )}
        <NoticeRegion label={`Notices for ${title}`} />
      </ShopProvider>
    </section>
  )
}
