// What a page load does for a screen that a hash change opened: the tab's title names the screen,
// and the focus goes to the screen's heading, so a screen reader announces the new screen.
import type { RefObject } from 'react'
import { useEffect } from 'react'

/** The tab's title on the start page, and after each other screen's name. */
export const APP_TITLE = 'Shelfsync shop'

/** `screen`: the screen's short name for the tab's title ("Shop"); none on the start page. */
export const useFocusHeading = (ref: RefObject<HTMLElement | null>, screen?: string): void => {
  useEffect(() => {
    const heading = ref.current
    if (heading === null) return
    heading.ownerDocument.title = screen === undefined ? APP_TITLE : `${screen} · ${APP_TITLE}`
    heading.focus()
  }, [ref, screen])
}
