// The ceiling for Node: a bare node:http SSE server. POST /publish takes a finished frame and
// writes that one Buffer to every open GET /events response; nothing else on the hot path.
import http, { type ServerResponse } from 'node:http'
import { readBody, runControl, SSE_HEADERS } from './control.js'

const streams = new Set<ServerResponse>()

const server = http.createServer(async (request, response) => {
  if (request.method === 'GET' && request.url === '/events') {
    response.writeHead(200, SSE_HEADERS)
    response.socket?.setNoDelay(true)
    response.write('retry: 3000\n\n')
    streams.add(response)
    response.once('close', () => streams.delete(response))
    return
  }
  if (request.method === 'POST' && request.url === '/publish') {
    const frame = await readBody(request)
    for (const stream of streams) stream.write(frame)
    response.writeHead(204).end()
    return
  }
  response.writeHead(404).end()
})

server.listen(0, '127.0.0.1', () => runControl(server))
