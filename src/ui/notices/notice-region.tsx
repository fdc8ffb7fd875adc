// The store's notices as toasts in a polite live region, so a screen reader reads each new one.
// The region is always in the page: a live region added together with its text is not announced.
// Dismissing a notice hands the focus to the next one's button, or to the screen's heading.
import type { ReactNode } from 'react'
import { selectNotices } from '../../store/index.js'
import { useShop } from '../../store/react.js'
import { useKeepFocus } from '../focus/use-keep-focus.js'
import { NoticeToast } from './notice-toast.js'

export const NoticeRegion = ({ label = 'Notices' }: { label?: string }): ReactNode => {
  const notices = useShop(selectNotices)
  const area = useKeepFocus<HTMLElement>()
  return (
    <section ref={area} className="toasts" aria-label={label}>
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
