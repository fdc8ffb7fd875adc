// Keeping the keyboard's place when a press replaces the control that had the focus: Add turns
// into Remove or a quantity control, a cart line's Remove takes its line away. The browser then
// leaves the focus on the page's body, and a keyboard or screen reader user starts over at the top.
//
// After a press inside the element, and until the user goes elsewhere (focuses or presses
// anything outside it, the page's background included), focus that is lost (on the body, or on a
// button that turned disabled) goes to the element's `[data-focus-first]`, else its first button
// that can be pressed, else its `[data-focus-fallback]` (a heading with tabIndex -1, say).
// Focus that moved somewhere on purpose is left alone.
import type { RefObject } from 'react'
import { useEffect, useLayoutEffect, useRef } from 'react'

const focusTarget = (root: HTMLElement): HTMLElement | null =>
  root.querySelector<HTMLElement>('[data-focus-first]:not(:disabled)') ??
  root.querySelector<HTMLElement>('button:not(:disabled)') ??
  root.querySelector<HTMLElement>('[data-focus-fallback]')

/** Returns the ref for the element whose controls keep the focus; call it in that component. */
export const useKeepFocus = <T extends HTMLElement>(): RefObject<T | null> => {
  const area = useRef<T>(null)
  const pressedHere = useRef(false)

  useEffect(() => {
    const root = area.current
    if (root === null) return
    // Listened to on the element, not through React: only presses on the buttons in it count,
    // and the capture phase runs before the button's own handler changes anything.
    const pressed = (): void => {
      pressedHere.current = root.contains(document.activeElement)
    }
    // Anything the user does elsewhere ends it: focus that moved to another element, or a press
    // outside (on the page's background, which takes the focus without a focus event).
    const elsewhere = (event: Event): void => {
      if (event.target instanceof Node && !root.contains(event.target)) pressedHere.current = false
    }
    const { ownerDocument } = root
    root.addEventListener('click', pressed, true)
    ownerDocument.addEventListener('focusin', elsewhere)
    ownerDocument.addEventListener('pointerdown', elsewhere, true)
    return () => {
      root.removeEventListener('click', pressed, true)
      ownerDocument.removeEventListener('focusin', elsewhere)
      ownerDocument.removeEventListener('pointerdown', elsewhere, true)
    }
  }, [])

  // After every render: the press may have swapped the control, now or when the server answered.
  useLayoutEffect(() => {
    const root = area.current
    if (!pressedHere.current || root === null) return
    const focused = document.activeElement
    const lost =
      focused === null ||
      focused === document.body ||
      (root.contains(focused) && focused.matches(':disabled'))
    if (lost) focusTarget(root)?.focus()
  })

  return area
}
