// A visually hidden status line that says the user's own changes (`announcementOf`). It is in the
// page from the start, as a live region added together with its text is not announced; each
// sentence comes as a new element, so the same sentence twice is said twice.
import type { ReactNode } from 'react'
import { useEffect, useState } from 'react'
import { useShopClient } from '../../store/react.js'
import { announcementOf } from './announcements.js'

export const Announcer = (): ReactNode => {
  const client = useShopClient()
  const [said, setSaid] = useState<{ text: string; count: number } | null>(null)
  useEffect(
    () =>
      client.store.subscribe((state, before) => {
        const text = announcementOf(before, state)
        if (text !== null) setSaid((last) => ({ text, count: (last?.count ?? 0) + 1 }))
      }),
    [client],
  )
  return (
    <div className="sr-only" role="status" data-testid="announcer" data-said={said?.count ?? 0}>
      {said === null ? null : <p key={said.count}>{said.text}</p>}
    </div>
  )
}
