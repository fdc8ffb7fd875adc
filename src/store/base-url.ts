// Checks a client's base URL once, where it is given, rather than failing every request later.

/** Whether `url` is an absolute http(s) URL (`new URL`: `URL.canParse` is missing in older browsers). */
const isHttpUrl = (url: string): boolean => {
  if (!/^https?:\/\//i.test(url)) return false
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}

/**
 * A base URL that can work here: an http(s) URL; or '' or a path ('/shop'), meaning the page's
 * own origin, where there is a page to be relative to or a `fetch` of the caller's to resolve it.
 * Anything else ('127.0.0.1:8787' without a scheme, 'localhost:8787', which reads as a scheme)
 * would fail every request, and be retried forever.
 *
 * @example
 * checkBaseUrl('createShopClient', '127.0.0.1:8787', false) // throws a TypeError that says why
 */
export const checkBaseUrl = (who: string, baseUrl: unknown, hasFetch: boolean): void => {
  const example = "such as 'http://127.0.0.1:8787'"
  if (typeof baseUrl !== 'string') {
    throw new TypeError(
      `${who}(...): baseUrl must be a string, ${example} (or '' for the page's own origin).`,
    )
  }
  if (isHttpUrl(baseUrl)) return
  const relative = baseUrl === '' || baseUrl.startsWith('/')
  const hasPage = (globalThis as { location?: unknown }).location !== undefined
  if (relative && (hasPage || hasFetch)) return
  throw new TypeError(
    `${who}(...): baseUrl must be an http(s) URL, ${example}, or '' or a path for the ` +
      `page's own origin${relative ? ' (and there is no page here)' : ''}; got ${JSON.stringify(baseUrl)}.`,
  )
}
