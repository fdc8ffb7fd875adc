// Many tabs of the shop in one browser. Over HTTP/1.1 Chromium opens at most six connections to
// one origin, shared by all its tabs: were every tab to hold a stream, a seventh tab would not
// even load, and no tab's command would be answered. A hidden tab holds none (the client's
// `pauseWhenHidden`) and catches up when it is shown. Headless Chromium counts every page as
// visible, so the test hides the older tabs the way a window does when a new tab comes to the
// front: it says so in `document.visibilityState` and raises `visibilitychange`.

import { SKU, TITLE } from './story.mjs'
import { buttonOf } from './support/screens.mjs'

export const TABS = 7
const USER = 'tab-shopper'
const LIVE = '[data-testid="connection-badge"][data-state="live"]'

/** What a browser does to a tab that goes behind another, or comes back to the front. */
const setVisibility = (page, state) =>
  page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' })
    document.dispatchEvent(new Event('visibilitychange'))
  }, state)

/**
 * Opens `TABS` tabs of the shop in one browser context, each new one in front of the last, then
 * adds the ticket from the newest and shows the first again. Each check is passed to `record`.
 */
export const manyTabs = async (browser, url, { openSignedIn, whenShown, record }) => {
  const first = await openSignedIn(browser, url, USER)
  const { context } = first
  const pages = [first.page]
  const errors = [first.errors]
  try {
    const opened = `${TABS} tabs of the shop in one browser: each loads and goes live`
    try {
      while (pages.length < TABS) {
        await setVisibility(pages.at(-1), 'hidden')
        // Each tab signs in on its own (the demo keeps a tab's user in its sessionStorage).
        const tab = await openSignedIn(browser, url, USER, { context })
        pages.push(tab.page)
        errors.push(tab.errors)
      }
      const paused = await pages[0].getByTestId('connection-badge').textContent()
      if (!paused?.includes('Paused')) throw new Error(`the first tab's badge says "${paused}"`)
      record(opened, 'passed')
    } catch (error) {
      const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
      record(opened, 'failed', `tab ${pages.length + 1}: ${detail}`)
      return
    }

    const newest = pages.at(-1)
    const added = 'the newest tab adds the ticket; the first tab, shown again, has it in the cart'
    try {
      await newest.getByRole('button', { name: `Add ${TITLE} to cart`, exact: true }).click()
      await whenShown(newest, buttonOf(SKU, { state: 'remove' }), 10_000)
      await setVisibility(newest, 'hidden')
      await setVisibility(pages[0], 'visible')
      await whenShown(pages[0], buttonOf(SKU, { state: 'remove' }), 10_000)
      await pages[0].locator(LIVE).waitFor({ timeout: 10_000 })
      record(added, 'passed')
    } catch (error) {
      record(added, 'failed', error instanceof Error ? error.message.split('\n')[0] : String(error))
    }
    // Streams let go and taken up again leave nothing in any tab's console.
    const said = errors.flat()
    const quiet = 'no console errors in any of the tabs'
    if (said.length === 0) record(quiet, 'passed')
    else record(quiet, 'failed', said.join('\n       '))
  } finally {
    await context.close().catch(() => {})
  }
}
