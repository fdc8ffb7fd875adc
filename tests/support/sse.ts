// Reads server-sent events from a fetch Response, frame by frame, for exact assertions.

export interface SseFrame {
  /** The raw text of the frame, without its blank line. */
  raw: string
  event?: string
  id?: string
  data?: string
  retry?: number
  comments: string[]
}

export const parseFrame = (raw: string): SseFrame => {
  const frame: SseFrame = { raw, comments: [] }
  for (const line of raw.split('\n')) {
    if (line.startsWith(':')) frame.comments.push(line.slice(1).trim())
    else {
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') frame.event = value
      else if (field === 'id') frame.id = value
      else if (field === 'data')
        frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`
      else if (field === 'retry') frame.retry = Number(value)
    }
  }
  return frame
}

export interface SseReader {
  /** The next frame; rejects after `timeoutMs` without one. */
  next(timeoutMs?: number): Promise<SseFrame>
  /** The next frame that is an event (skips retry-only frames and pings). */
  nextEvent(timeoutMs?: number): Promise<SseFrame>
  /** Resolves when the server ends the stream, with the frames still unread. */
  ended(timeoutMs?: number): Promise<SseFrame[]>
  close(): Promise<void>
}

export const readSse = (response: Response): SseReader => {
  if (!response.body) throw new Error('response has no body')
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let done = false
  const frames: SseFrame[] = []

  const pull = async (timeoutMs: number): Promise<boolean> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no SSE data within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      const chunk = await Promise.race([reader.read(), timeout])
      if (chunk.done) {
        done = true
        return false
      }
      buffer += decoder.decode(chunk.value, { stream: true })
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        frames.push(parseFrame(buffer.slice(0, end)))
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
      }
      return true
    } finally {
      clearTimeout(timer)
    }
  }

  const next = async (timeoutMs = 5000): Promise<SseFrame> => {
    while (frames.length === 0) {
      if (done || !(await pull(timeoutMs))) throw new Error('the stream ended')
    }
    return frames.shift() as SseFrame
  }

  return {
    next,
    async nextEvent(timeoutMs = 5000) {
      for (;;) {
        const frame = await next(timeoutMs)
        if (frame.data !== undefined) return frame
      }
    },
    async ended(timeoutMs = 5000) {
      while (!done) await pull(timeoutMs)
      return frames.splice(0)
    },
    close: () => reader.cancel().catch(() => {}),
  }
}
