// Request headers every fan-out client sends.
export const SSE_ACCEPT: Record<string, string> = { Accept: 'text/event-stream' }
