// Sign in by name (demo mode: `POST /api/session` through `client.signIn`). The name typed is the
// form's own; who is signed in is the store's.
import type { FormEvent, ReactNode } from 'react'
import { useId, useState } from 'react'
import { NAME_PATTERN } from '../../actions/index.js'
import type { SessionInfo } from '../../store/index.js'
import { problemSentence } from '../../store/index.js'
import { useShopClient } from '../../store/react.js'
import { rememberUser } from './remembered-session.js'

export interface SignInFormProps {
  /** Called after the store holds the new session. */
  onSignedIn(session: SessionInfo): void
}

const NO_DEMO =
  'Signing in by name works only in demo mode, and this server is not in it: sign in through the shop’s own site.'

export const SignInForm = ({ onSignedIn }: SignInFormProps): ReactNode => {
  const client = useShopClient()
  const id = useId()
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const user = name.trim()
    if (!NAME_PATTERN.test(user)) {
      setError('Use 1 to 64 letters, digits, dots, dashes or underscores.')
      return
    }
    setBusy(true)
    setError(null)
    const result = await client.signIn(user)
    setBusy(false)
    if (!result.ok) {
      // No sign-in route: the server is not in demo mode, and the shop signs its users in itself.
      const noDemo = result.problem.code === 'request/not-found'
      setError(noDemo ? NO_DEMO : problemSentence(result.problem))
      return
    }
    rememberUser(result.value.user)
    client.start()
    onSignedIn({ user: result.value.user, role: result.value.role })
  }

  return (
    <form className="sign-in" onSubmit={(event) => void submit(event)} data-testid="sign-in">
      <label htmlFor={id}>Your name</label>
      <div className="row">
        <input
          id={id}
          name="user"
          value={name}
          autoComplete="username"
          spellCheck={false}
          maxLength={64}
          aria-describedby={error === null ? `${id}-hint` : `${id}-error ${id}-hint`}
          aria-invalid={error === null ? undefined : true}
          onChange={(event) => {
            setName(event.target.value)
            setError(null) // a message about what was typed before is no longer true
          }}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
      <p id={`${id}-hint`} className="hint">
        Demo mode: any name works; <code>admin</code> manages the inventory.
      </p>
      {error === null ? null : (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
