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

// The element last pressed in, until the user goes elsewhere: one for the page, so that a list
// of many keep-focus elements (a product each) adds two listeners to the document, not two each.
let armed: HTMLElement | null = null
const listening = new WeakSet<Document>()
// Anything the user does elsewhere ends it: focus that moved to another element, or a press
// outside (on the page's background, which takes the focus without a focus event).
const elsewhere = (event: Event): void => {
  if (armed !== null && event.target instanceof Node && !armed.contains(event.target)) armed = null
}
const listenTo = (document: Document): void => {
  if (listening.has(document)) return
  listening.add(document)
  document.addEventListener('focusin', elsewhere)
  document.addEventListener('pointerdown', elsewhere, true)
}

/** Returns the ref for the element whose controls keep the focus; call it in that component. */
export const useKeepFocus = <T extends HTMLElement>(): RefObject<T | null> => {
  const area = useRef<T>(null)

  useEffect(() => {
    const root = area.current
    if (root === null) return
    listenTo(root.ownerDocument)
    // Listened to on the element, not through React: only presses on the buttons in it count,
    // and the capture phase runs before the button's own handler changes anything.
    const pressed = (): void => {
      if (root.contains(root.ownerDocument.activeElement)) armed = root
    }
    root.addEventListener('click', pressed, true)
    return () => {
      root.removeEventListener('click', pressed, true)
      if (armed === root) armed = null
    }
  }, [])

  // After every render: the press may have swapped the control, now or when the server answered.
  useLayoutEffect(() => {
    const root = area.current
    if (root === null || armed !== root) return
    const focused = root.ownerDocument.activeElement
    const lost =
      focused === null ||
      focused === root.ownerDocument.body ||
      (root.contains(focused) && focused.matches(':disabled'))
    if (lost) focusTarget(root)?.focus()
  })

  return area
}
