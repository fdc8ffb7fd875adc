// The store's notices as toasts in a polite live region, so a screen reader reads each new one.
// The region is always in the page: a live region added together with its text is not announced.
import type { ReactNode } from 'react'
import { selectNotices } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { NoticeToast } from './notice-toast.js'

export const NoticeRegion = ({ label = 'Notices' }: { label?: string }): ReactNode => {
  const notices = useShop(selectNotices)
  return (
    <section className="toasts" aria-label={label}>
      <ul
        className="toasts__list"
        aria-live="polite"
        aria-relevant="additions"
        data-testid="notices"
      >
        {notices.map((notice) => (
          <NoticeToast key={notice.id} notice={notice} />
        ))}
      </ul>
    </section>
  )
}
