// The frame of a screen of its own: a focusable h1 (focused when the screen opens, and where the
// focus goes when the control that had it is gone with nothing near to take it), the body, and the
// notices of the app's client.
import type { ReactNode } from 'react'
import { useRef } from 'react'
import { NoticeRegion } from '../notices/notice-region.js'
import { useFocusHeading } from '../routing/use-focus-heading.js'

export const Screen = ({ title, children }: { title: string; children: ReactNode }): ReactNode => {
  const heading = useRef<HTMLHeadingElement>(null)
  useFocusHeading(heading, title)
  return (
    <div className="screen" data-focus-scope>
      <h1 ref={heading} tabIndex={-1} className="page-title" data-focus-home>
        {title}
      </h1>
      {children}
      <NoticeRegion />
    </div>
  )
}
