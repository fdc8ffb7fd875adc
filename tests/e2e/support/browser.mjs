// Debian's Chromium driven by playwright-core, and signed-in pages, one browser context per user
// so that nobody shares a cookie.
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const launchBrowser = async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

/**
 * A page in a new context (or a new tab of `context`), signed in as `user` through the start
 * page's form. Console errors and page errors are collected in `errors`.
 */
export const openSignedIn = async (browser, url, user, { viewport, context: shared } = {}) => {
  const context =
    shared ?? (await browser.newContext({ viewport: viewport ?? { width: 1100, height: 900 } }))
  const page = await context.newPage()
  const errors = watchErrors(page, user)
  await page.goto(`${url}/#/`)
  await page.getByLabel('Your name').fill(user)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForFunction(
    () => document.querySelector('[data-testid="connection-badge"]')?.dataset.state === 'live',
    undefined,
    { timeout: 10_000 },
  )
  return { user, context, page, errors }
}

/** Collects the page's console errors and uncaught errors (a CSP violation shows up here). */
export const watchErrors = (page, name) => {
  const errors = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${name}: console: ${message.text()}`)
  })
  page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`))
  return errors
}
