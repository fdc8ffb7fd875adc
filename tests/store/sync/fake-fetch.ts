// A fetch that never touches the network: each call waits until the test answers it, and an
// answered event stream is written to by the test, chunk by chunk.

export interface FakeStream {
  /** Sends text (UTF-8 encoded) or raw bytes as one chunk. */
  push(chunk: string | Uint8Array): void
  /** Ends the body cleanly. */
  close(): void
  /** Breaks the body, as a dropped TCP connection would. */
  error(reason?: unknown): void
  readonly cancelled: boolean
}

export interface FakeCall {
  url: string
  init: RequestInit
  headers: Headers
  signal: AbortSignal
  /** Answers 200 `text/event-stream` and returns the body to write to. */
  openStream(contentType?: string): FakeStream
  respond(response: Response): void
  /** Rejects like a network error. */
  fail(error?: unknown): void
}

const encoder = new TextEncoder()

export const createFakeStream = (): { body: ReadableStream<Uint8Array>; stream: FakeStream } => {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let cancelled = false
  let ended = false
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c
    },
    cancel() {
      cancelled = true
      ended = true
    },
  })
  const stream: FakeStream = {
    push(chunk) {
      if (ended) return
      controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
    },
    close() {
      if (ended) return
      ended = true
      controller.close()
    },
    error(reason = new TypeError('terminated')) {
      if (ended) return
      ended = true
      controller.error(reason)
    },
    get cancelled() {
      return cancelled
    },
  }
  return { body, stream }
}

export const problem = (status: number, code: string, detail: string, headers = {}): Response =>
  new Response(JSON.stringify({ type: 'about:blank', title: code, status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })

export const createFakeFetch = () => {
  const calls: FakeCall[] = []
  const fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? new AbortController().signal
      let settled = false
      const settle = (fn: () => void): void => {
        if (settled) return
        settled = true
        fn()
      }
      const call: FakeCall = {
        url: String(input),
        init,
        headers: new Headers(init.headers),
        signal,
        openStream(contentType = 'text/event-stream') {
          const { body, stream } = createFakeStream()
          // Like a real fetch, aborting also breaks a body already handed out.
          signal.addEventListener('abort', () => stream.error(signal.reason), { once: true })
          call.respond(
            new Response(body, { status: 200, headers: { 'content-type': contentType } }),
          )
          return stream
        },
        respond: (response) => settle(() => resolve(response)),
        fail: (error = new TypeError('fetch failed')) => settle(() => reject(error)),
      }
      calls.push(call)
      if (signal.aborted) settle(() => reject(signal.reason))
      signal.addEventListener('abort', () => settle(() => reject(signal.reason)), { once: true })
    })
  return {
    fetch: fetch as typeof globalThis.fetch,
    calls,
    /** The call made most recently; fails the test when there is none. */
    last(): FakeCall {
      const call = calls.at(-1)
      if (!call) throw new Error('fetch was never called')
      return call
    },
  }
}
