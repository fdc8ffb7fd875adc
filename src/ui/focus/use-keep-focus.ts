// Keeping the keyboard's place when the focused control goes away: Add turns into Remove or a
// quantity control, a cart line's Remove takes its line away, a hold runs out or an order is paid
// under the focus, a button turns disabled while its command is under way. The browser then
// leaves the focus on the page's body, and a keyboard or screen reader user starts over at the top.
//
// The control last focused inside a keep-focus area (this hook's ref) is watched, whether it went
// away after a press, a server's answer or someone else's change. When it is removed or disabled
// and the focus fell to the body, the focus goes to the innermost of its areas still in the page
// that has a target: its `[data-focus-first]`, else its first button that can be pressed, else its
// `[data-focus-fallback]` (a heading with tabIndex -1, say). Failing all of them, it goes to the
// `[data-focus-home]` of the control's `[data-focus-scope]` (the heading of its screen or panel).
// Focus that moved somewhere on purpose is left alone, and a press anywhere but on the watched
// control (on the page's background too, which takes the focus without a focus event) ends the
// watch.
import type { RefObject } from 'react'
import { useEffect, useLayoutEffect, useRef } from 'react'

const focusTarget = (area: HTMLElement): HTMLElement | null =>
  area.querySelector<HTMLElement>('[data-focus-first]:not(:disabled)') ??
  area.querySelector<HTMLElement>('button:not(:disabled)') ??
  area.querySelector<HTMLElement>('[data-focus-fallback]')

interface Watch {
  control: HTMLElement
  /** The keep-focus areas around it, innermost first. */
  areas: HTMLElement[]
  /** Its screen or panel, for the last resort. */
  scope: HTMLElement | null
}

// One watch for the page: a list of many keep-focus areas (a product each) adds its listeners to
// the document once, not once per area.
const areas = new Set<HTMLElement>()
let watch: Watch | null = null
const listening = new WeakSet<Document>()

const watchOf = (control: HTMLElement): Watch | null => {
  const around: HTMLElement[] = []
  for (let node = control.parentElement; node !== null; node = node.parentElement) {
    if (areas.has(node)) around.push(node)
  }
  if (around.length === 0) return null
  return { control, areas: around, scope: control.closest<HTMLElement>('[data-focus-scope]') }
}

const targetOf = ({ areas: around, scope }: Watch): HTMLElement | null => {
  for (const area of around) {
    const target = area.isConnected ? focusTarget(area) : null
    if (target !== null) return target
  }
  return scope?.isConnected ? scope.querySelector<HTMLElement>('[data-focus-home]') : null
}

/** Moves the focus on when the watched control went away and took the focus with it. */
const rescue = (document: Document): void => {
  if (watch === null) return
  const { control } = watch
  const gone = !control.isConnected || control.matches(':disabled')
  const focused = document.activeElement
  // Browsers move the focus of a removed or disabled control to the body; jsdom leaves it on a
  // disabled one.
  const lost = focused === null || focused === document.body || focused === control
  if (gone && lost) targetOf(watch)?.focus()
}

const listenTo = (document: Document): void => {
  if (listening.has(document)) return
  listening.add(document)
  document.addEventListener('focusin', (event) => {
    watch = event.target instanceof HTMLElement ? watchOf(event.target) : null
  })
  document.addEventListener(
    'pointerdown',
    (event) => {
      if (watch !== null && !(event.target instanceof Node && watch.control.contains(event.target)))
        watch = null
    },
    true,
  )
  // A control disabled under the focus loses it when the browser next renders, after React's
  // effects have run: this catches that, once the render that did it is over.
  document.addEventListener('focusout', (event) => {
    if (event.relatedTarget === null && event.target === watch?.control) {
      queueMicrotask(() => rescue(document))
    }
  })
}

/** Returns the ref for the element whose controls keep the focus; call it in that component. */
export const useKeepFocus = <T extends HTMLElement>(): RefObject<T | null> => {
  const area = useRef<T>(null)

  useEffect(() => {
    const root = area.current
    if (root === null) return
    listenTo(root.ownerDocument)
    areas.add(root)
    return () => {
      areas.delete(root)
    }
  }, [])

  // After every render: it may have removed or disabled the watched control.
  useLayoutEffect(() => {
    const root = area.current
    if (root !== null && watch?.areas.includes(root)) rescue(root.ownerDocument)
  })

  return area
}
