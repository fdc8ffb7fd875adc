// The start page: what Shelfsync is, sign in by name, and the way to the Demo page.
import type { ReactNode } from 'react'
import { useRef } from 'react'
import type { SessionInfo } from '../../store/index.js'
import type { Route } from '../routing/routes.js'
import { useFocusHeading } from '../routing/use-focus-heading.js'
import { navigate } from '../routing/use-hash-route.js'
import { SignInForm } from './sign-in-form.js'

export interface StartPageProps {
  /** Where to go after signing in; by default the admin's inventory or the customer's shop. */
  next?: Route
}

export const StartPage = ({ next }: StartPageProps): ReactNode => {
  const heading = useRef<HTMLHeadingElement>(null)
  useFocusHeading(heading)
  const signedIn = (session: SessionInfo): void =>
    navigate(next ?? (session.role === 'admin' ? 'inventory' : 'shop'))
  return (
    <div className="start">
      <h1 ref={heading} tabIndex={-1} className="page-title">
        Welcome to the Shelfsync shop
      </h1>
      <p className="lead">
        Live stock on every screen: when someone puts the last ticket in their cart, everyone else
        sees it sold out at once.
      </p>
      {next === undefined ? null : (
        <p className="hint" data-testid="sign-in-needed">
          Sign in to open the {next} screen.
        </p>
      )}
      <SignInForm onSignedIn={signedIn} />
      <p className="start__demo">
        Or open the <a href="#/demo">demo page</a>: Customer 1, Customer 2 and the inventory side by
        side, each signed in as itself, to play the story by clicking.
      </p>
    </div>
  )
}
