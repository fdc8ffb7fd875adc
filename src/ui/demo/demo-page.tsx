// The Demo page (`#/demo`): Customer 1, Customer 2 and the inventory side by side, each its own
// client signed in as its own user, so the brief's story can be played by clicking.
import type { ReactNode } from 'react'
import { useRef } from 'react'
import { useFocusHeading } from '../routing/use-focus-heading.js'
import { DemoPanel } from './demo-panel.js'

/** The users the panels sign in as; the e2e test signs in as the same ones elsewhere. */
export const DEMO_USERS = { customer1: 'customer-1', customer2: 'customer-2', admin: 'admin' }

export const DemoPage = (): ReactNode => {
  const heading = useRef<HTMLHeadingElement>(null)
  useFocusHeading(heading, 'Demo')
  return (
    <div className="demo">
      <div className="demo__intro">
        <h1 ref={heading} tabIndex={-1} className="page-title">
          Demo: two customers and the inventory
        </h1>
        <p className="lead">
          A new demo shop has one front-row ticket in stock. Add it as Customer 1 and watch Customer
          2's button turn to “Sold out”; remove it, let Customer 2 take it, then restock from the
          inventory.
        </p>
        <p className="hint demo__replay">
          The shop keeps what was done in it. To play the story again, empty both carts and set the
          ticket's stock back to 1 with Edit in the inventory, or start the server on a new
          database.
        </p>
      </div>
      <div className="demo__panels">
        <DemoPanel
          title="Customer 1"
          user={DEMO_USERS.customer1}
          kind="shop"
          testId="panel-customer-1"
        />
        <DemoPanel
          title="Customer 2"
          user={DEMO_USERS.customer2}
          kind="shop"
          testId="panel-customer-2"
        />
        <DemoPanel
          title="Inventory"
          user={DEMO_USERS.admin}
          kind="inventory"
          testId="panel-inventory"
        />
      </div>
    </div>
  )
}
