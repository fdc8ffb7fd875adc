// better-sse on node:http: one channel, one session per GET /events, POST /publish broadcasts
// the commit's data with its id. Loaded by name so that the bench runs without the package.
import http from 'node:http'
import { readBody, runControl } from './control.js'

interface Session {
  readonly isConnected: boolean
}
interface Channel {
  register(session: Session): void
  broadcast(data: unknown, eventName?: string, options?: { eventId?: string }): void
}
interface BetterSse {
  createSession(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    options?: {
      serializer?: (data: unknown) => string
      keepAlive?: number | null
      retry?: number | null
    },
  ): Promise<Session>
  createChannel(): Channel
}

const packageName = 'better-sse'
const sse = (await import(packageName)) as BetterSse
const channel = sse.createChannel()

// The data is already JSON: write it as it is, not JSON-encoded again.
const sessionOptions = {
  serializer: (data: unknown) => String(data),
  keepAlive: 15_000,
  retry: 3_000,
}

const server = http.createServer(async (request, response) => {
  if (request.method === 'GET' && request.url === '/events') {
    const session = await sse.createSession(request, response, sessionOptions)
    response.socket?.setNoDelay(true)
    if (session.isConnected) channel.register(session)
    return
  }
  if (request.method === 'POST' && request.url?.startsWith('/publish')) {
    const url = new URL(request.url, 'http://bench')
    const data = (await readBody(request)).toString()
    channel.broadcast(data, 'message', { eventId: url.searchParams.get('id') ?? undefined })
    response.writeHead(204).end()
    return
  }
  response.writeHead(404).end()
})

server.listen(0, '127.0.0.1', () => runControl(server))
