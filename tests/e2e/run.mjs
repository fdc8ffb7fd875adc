// `npm run test:e2e`: the brief's story in Debian's Chromium against the real server. Builds when
// needed, starts the server on a free port with a temp database, plays the steps with Customer 1,
// Customer 2 and the admin in separate browser contexts, prints how long the other screens took
// to show each change (measured, not asserted), saves screenshots of the Demo page under
// test-results/e2e/ (under docs/, where the README shows them, with `-- --update-docs`), then
// plays a hold that lapses and seven tabs of one browser (tabs.mjs), and always stops the servers
// and the browser.
import { mkdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBuilt } from '../../scripts/ensure-built.mjs'
import { EXPIRY_STEPS, HOLD_TTL_MS } from './expiry.mjs'
import { CHECKOUT_STEPS } from './orders.mjs'
import { checkStart, STEPS, USERS } from './story.mjs'
import { launchBrowser, openSignedIn, watchErrors } from './support/browser.mjs'
import { whenShown } from './support/screens.mjs'
import { startServer } from './support/server.mjs'
import { formatTimings, runStep } from './support/steps.mjs'
import { manyTabs } from './tabs.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// A test run leaves the tracked screenshots alone; `--update-docs` renews them on purpose.
const shots = process.argv.includes('--update-docs')
  ? join(root, 'docs')
  : join(root, 'test-results', 'e2e')
mkdirSync(shots, { recursive: true })
const results = { passed: 0, failed: 0, skipped: 0 }
const failures = []
const cleanups = []

const record = (name, outcome, detail = '') => {
  results[outcome] += 1
  const mark = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' }[outcome]
  console.log(`${mark} ${name}${detail ? `\n       ${detail}` : ''}`)
  if (outcome === 'failed') failures.push(name)
}

/** Plays `steps` in order; after a failure the rest are skipped, as each builds on the one before. */
const play = async (steps, screens) => {
  let broken = false
  for (const step of steps) {
    if (broken) {
      record(step.name, 'skipped', 'an earlier step failed')
      continue
    }
    try {
      const timings = await runStep(step, screens, whenShown)
      record(step.name, 'passed', formatTimings(timings))
      if (step.screenshot) {
        await screens.demo.page.screenshot({ path: join(shots, step.screenshot), fullPage: true })
      }
    } catch (error) {
      broken = true
      record(step.name, 'failed', error instanceof Error ? error.message : String(error))
    }
  }
}

/** The three users, each in a browser context of its own, plus the Demo page in a fourth. */
const openScreens = async (browser, url, { demo }) => {
  const [c1, c2, admin] = await Promise.all([
    openSignedIn(browser, url, USERS.c1),
    openSignedIn(browser, url, USERS.c2),
    openSignedIn(browser, url, USERS.admin),
  ])
  const screens = { c1, c2, admin }
  if (demo) {
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } })
    const page = await context.newPage()
    const errors = watchErrors(page, 'demo')
    await page.goto(`${url}/#/demo`)
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="connection-badge"]')].filter(
          (badge) => badge.dataset.state === 'live',
        ).length === 3 &&
        document.querySelector('[data-testid="inventory-counts-front-row-ticket"]'),
      undefined,
      { timeout: 10_000 },
    )
    screens.demo = { user: 'demo', context, page, errors }
  }
  return screens
}

const closeScreens = async (screens) => {
  for (const screen of Object.values(screens)) await screen.context.close().catch(() => {})
}

const noErrors = (screens, name) => {
  const errors = Object.values(screens).flatMap((screen) => screen.errors)
  if (errors.length === 0) record(name, 'passed')
  else record(name, 'failed', errors.join('\n       '))
}

const story = async (browser) => {
  const server = await startServer({ root })
  cleanups.push(server.stop)
  console.log(`e2e: server on ${server.url}`)
  const screens = await openScreens(browser, server.url, { demo: true })
  cleanups.push(() => closeScreens(screens))
  await checkStart(screens)
  await play(STEPS, screens)

  if (failures.length === 0) await play(CHECKOUT_STEPS, screens)
  else for (const step of CHECKOUT_STEPS) record(step.name, 'skipped', 'the story failed first')

  // A narrow screen: the Demo page's panels stack, nothing overflows sideways.
  await screens.demo.page.setViewportSize({ width: 390, height: 844 })
  const overflow = await screens.demo.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  await screens.demo.page.screenshot({ path: join(shots, 'demo-narrow.png'), fullPage: false })
  if (overflow <= 0) record('narrow screen: no sideways scrolling at 390 px', 'passed')
  else record('narrow screen: no sideways scrolling at 390 px', 'failed', `${overflow} px too wide`)

  // The page is served with the strict CSP (no inline scripts), and nothing broke under it.
  const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? ''
  if (csp.includes("script-src 'self'"))
    record("the app is served with CSP script-src 'self'", 'passed')
  else record("the app is served with CSP script-src 'self'", 'failed', `CSP: ${csp || 'none'}`)
  // A reload keeps the tab signed in as its own user, with the shop and its cart.
  const reload = 'reload: Customer 2 is still signed in, on the shop, with the paid order'
  try {
    const { page } = screens.c2
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Shop' }).waitFor({ timeout: 10_000 })
    const who = await page.getByTestId('signed-in-as').textContent()
    if (who !== `Signed in as ${USERS.c2}`) throw new Error(`the header says "${who}"`)
    await page
      .locator('[data-testid^="order-"][data-status="paid"]')
      .first()
      .waitFor({ timeout: 10_000 })
    record(reload, 'passed')
  } catch (error) {
    record(reload, 'failed', error instanceof Error ? error.message : String(error))
  }
  noErrors(screens, 'no console errors or CSP violations on any screen')
}

const expiry = async (browser) => {
  const server = await startServer({ root, env: { SHELFSYNC_HOLD_TTL_MS: String(HOLD_TTL_MS) } })
  cleanups.push(server.stop)
  const [c1, c2] = await Promise.all([
    openSignedIn(browser, server.url, USERS.c1),
    openSignedIn(browser, server.url, USERS.c2),
  ])
  const screens = { c1, c2 }
  cleanups.push(() => closeScreens(screens))
  await play(EXPIRY_STEPS, screens)
}

const tabs = async (browser) => {
  const server = await startServer({ root })
  cleanups.push(server.stop)
  await manyTabs(browser, server.url, { openSignedIn, whenShown, record })
}

let cleaned = false
const cleanUp = async () => {
  if (cleaned) return
  cleaned = true
  for (const cleanup of cleanups.reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch(() => {})
}
// Whatever goes wrong, the server and the browser do not outlive the run.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void cleanUp().then(() => process.exit(130)))
}
process.on('unhandledRejection', (error) => {
  console.error('e2e: unhandled rejection:', error)
  void cleanUp().then(() => process.exit(1))
})

let browser
try {
  ensureBuilt({ app: true, root })
  browser = await launchBrowser()
  cleanups.push(() => browser.close())
  await story(browser)
  await expiry(browser)
  await tabs(browser)
} catch (error) {
  record(
    'e2e setup',
    'failed',
    error instanceof Error ? (error.stack ?? error.message) : String(error),
  )
} finally {
  await cleanUp()
}

console.log(`e2e: screenshots in ${relative(root, shots)}/`)
console.log(
  `e2e: ${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`,
)
process.exit(results.failed === 0 ? 0 : 1)
