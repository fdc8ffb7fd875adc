// Moves focus to a screen's heading when the screen appears, so a screen reader announces the new
// screen after a hash change the way it would after a page load.
import type { RefObject } from 'react'
import { useEffect } from 'react'

export const useFocusHeading = (ref: RefObject<HTMLElement | null>, enabled = true): void => {
  useEffect(() => {
    if (enabled) ref.current?.focus()
  }, [ref, enabled])
}
