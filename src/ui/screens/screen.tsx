// The frame of a screen of its own: a focusable h1 (focused when the screen opens), the body, and
// the notices of the app's client.
import type { ReactNode } from 'react'
import { useRef } from 'react'
import { NoticeRegion } from '../notices/notice-region.js'
import { useFocusHeading } from '../routing/use-focus-heading.js'

export const Screen = ({ title, children }: { title: string; children: ReactNode }): ReactNode => {
  const heading = useRef<HTMLHeadingElement>(null)
  useFocusHeading(heading)
  return (
    <div className="screen">
      <h1 ref={heading} tabIndex={-1} className="page-title">
        {title}
      </h1>
      {children}
      <NoticeRegion />
    </div>
  )
}
