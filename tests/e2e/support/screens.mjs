// Reading the app's screens the way a person would: a product's button, the inventory's counts,
// and waiting for a screen to show something, timed from the page's own clock.

/** What the product's button shows: its state, its text and whether it can be pressed. */
export const readButton = (scope, sku) =>
  scope.locator(`[data-testid="product-button-${sku}"]`).evaluate((el) => ({
    state: el.dataset.state,
    text: el.textContent.replace(/\s+/g, ' ').trim(),
    // Disabled, or (a sold-out button, kept in the tab order) aria-disabled.
    disabled: [...el.querySelectorAll('button')].every(
      (b) => b.disabled || b.getAttribute('aria-disabled') === 'true',
    ),
    quantity: el.querySelector('[data-testid="quantity"]')?.textContent?.replace(/\D/g, '') ?? null,
  }))

export const readCounts = (scope, sku) =>
  scope.locator(`[data-testid="inventory-counts-${sku}"]`).textContent()

/**
 * Resolves with the page's `Date.now()` at the moment the element `selector` (inside `within`)
 * shows `expect` (its text and/or its `data-state`). A MutationObserver looks at every change of
 * the page, so the time is exact rather than a polling interval late.
 */
export const whenShown = async (page, { within, selector, expect }, timeout = 10_000) => {
  let timer
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`not shown within ${timeout} ms: ${selector} ${JSON.stringify(expect)}`)),
      timeout,
    )
  })
  const shown = page.evaluate(
    ({ within, selector, expect }) =>
      new Promise((resolve) => {
        const test = () => {
          const root = within ? document.querySelector(within) : document
          const el = root?.querySelector(selector)
          if (!el) return false
          const text = el.textContent.replace(/\s+/g, ' ').trim()
          return (
            (expect.text === undefined || text === expect.text) &&
            (expect.state === undefined || el.dataset.state === expect.state)
          )
        }
        if (test()) return resolve(Date.now())
        const observer = new MutationObserver(() => {
          if (!test()) return
          observer.disconnect()
          resolve(Date.now())
        })
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        })
      }),
    { within, selector, expect },
  )
  // It may still settle after a timeout (rejected when the page closes); nobody waits for it then.
  shown.catch(() => {})
  try {
    return await Promise.race([shown, timedOut])
  } finally {
    clearTimeout(timer)
  }
}

export const buttonOf = (sku, expect, within) => ({
  within,
  selector: `[data-testid="product-button-${sku}"]`,
  expect,
})

export const countsOf = (sku, text, within) => ({
  within,
  selector: `[data-testid="inventory-counts-${sku}"]`,
  expect: { text },
})
