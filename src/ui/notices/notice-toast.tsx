// One notice as a toast: its sentence and a button that dismisses it (named "Dismiss" and described
// by the sentence, so a screen reader does not read the sentence twice as it reads the list).
import type { ReactNode } from 'react'
import { useId } from 'react'
import type { Notice } from '../../store/index.js'
import { useShopClient } from '../../store/react.js'

const INFO = new Set([
  'hold/expired',
  'hold/ended',
  'order/expired',
  'order/cancelled',
  'product/removed',
])

const toneOf = (code: string): 'good' | 'info' | 'problem' =>
  code === 'stock/back' ? 'good' : INFO.has(code) ? 'info' : 'problem'

export const NoticeToast = ({ notice }: { notice: Notice }): ReactNode => {
  const client = useShopClient()
  const messageId = useId()
  return (
    <li
      className={`toast toast--${toneOf(notice.code)}`}
      data-testid="notice"
      data-code={notice.code}
    >
      <p id={messageId} className="toast__message">
        {notice.message}
      </p>
      <button
        type="button"
        className="toast__dismiss"
        aria-label="Dismiss"
        aria-describedby={messageId}
        onClick={() => client.dismissNotice(notice.id)}
      >
        <span aria-hidden="true">×</span>
      </button>
    </li>
  )
}
