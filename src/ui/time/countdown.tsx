// Time left until a server timestamp (a hold's or an order's `expiresAt`), counted with the
// store's server-clock offset so a wrong device clock does not shorten or stretch it. The time
// left is not read out as it ticks; once, when less than a minute is left, a screen reader is told
// (WCAG 2.2.1), from a live region that is there from the start (one added with its text is not).
import type { ReactNode } from 'react'
import { useCallback } from 'react'
import type { ShopState } from '../../store/index.js'
import { remainingMs } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { formatRemaining } from '../format/duration.js'
import { useNow } from './use-now.js'

export interface CountdownProps {
  /** Server time (ms) at which the thing lapses; `null` while the server has not confirmed it. */
  expiresAt: number | null
  /** What lapses, for screen readers: "Hold on Enamel mug". */
  label: string
}

export const Countdown = ({ expiresAt, label }: CountdownProps): ReactNode => {
  const now = useNow()
  const left = useShop(
    useCallback((state: ShopState) => remainingMs(state, expiresAt, now), [expiresAt, now]),
  )
  const soon = left !== null && left > 0 && left < 60_000
  return (
    <>
      <span
        className={soon ? 'countdown countdown--soon' : 'countdown'}
        data-testid="countdown"
        data-remaining-ms={left ?? undefined}
      >
        <span className="sr-only">{label}: </span>
        {left === null ? (
          'holding…'
        ) : (
          <time dateTime={`PT${Math.ceil(left / 1000)}S`}>
            {left > 0 ? `${formatRemaining(left)} left` : 'time is up'}
          </time>
        )}
      </span>
      <span className="sr-only" aria-live="polite" data-testid="countdown-warning">
        {soon ? `${label}: less than a minute left.` : null}
      </span>
    </>
  )
}
