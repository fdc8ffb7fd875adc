// Runs one step of a story: the actor's click, then every screen waited for (timed from just
// before the click, on the pages' own clocks), then each screen read and asserted.
import assert from 'node:assert/strict'

/**
 * @param {object} step
 * @param {string} step.name
 * @param {string} step.actor       who clicks (a key of `screens`; anything else: nobody clicks)
 * @param {(screens) => Promise<void>} step.act
 * @param {{ who: string, label: string, show: object }[]} step.expect   what each screen shows next
 * @param {(screens) => Promise<void>} [step.check]  reads the screens' text and asserts it
 * @param {Record<string, { page }>} screens
 * @param {(page, show) => Promise<number>} whenShown
 */
export const runStep = async (step, screens, whenShown) => {
  const waits = Promise.all(step.expect.map(({ who, show }) => whenShown(screens[who].page, show)))
  // Handled here so a screen that fails before the click is awaited is not an unhandled rejection.
  waits.catch(() => {})
  const actor = screens[step.actor]?.page
  // The click's own moment, on the actor's page clock: Playwright's checks before it do not count.
  if (actor) {
    await actor.evaluate(() => {
      window.__e2eClickedAt = null
      document.addEventListener(
        'click',
        () => {
          window.__e2eClickedAt = Date.now()
        },
        { capture: true, once: true },
      )
    })
  }
  const startedAt = Date.now()
  await step.act(screens)
  const clickedAt = (actor ? await actor.evaluate(() => window.__e2eClickedAt) : null) ?? startedAt
  const shownAt = await waits
  if (step.check) await step.check(screens)
  return step.expect.map(({ who, label }, i) => ({
    who,
    label,
    own: who === step.actor,
    ms: Math.max(0, shownAt[i] - clickedAt),
  }))
}

export const formatTimings = (timings) =>
  timings.map(({ label, own, ms }) => `${label}${own ? ' (own screen)' : ''} ${ms} ms`).join(', ')

export { assert }
