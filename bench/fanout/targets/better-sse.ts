// Target (c): better-sse on node:http, skipped when the package is not installed.
import { commitData, REFERENCE_EPOCH } from '../frame.js'
import { SSE_ACCEPT } from './headers.js'
import { startNodeServer } from './node-server.js'
import type { Target } from './target.js'

export const betterSseTarget: Target = {
  name: 'better-sse',
  async unavailable() {
    const packageName = 'better-sse'
    try {
      await import(packageName)
      return null
    } catch {
      return 'the npm package better-sse is not installed (add it as a devDependency to compare)'
    }
  },
  async start() {
    const server = await startNodeServer('better-sse')
    return {
      stream: { port: server.port, path: '/events', headers: SSE_ACCEPT },
      write: (seq, at) => ({
        port: server.port,
        path: `/publish?id=${REFERENCE_EPOCH}:${seq}`,
        headers: {},
        body: commitData(seq, at),
      }),
      pids: () => [server.pid],
      settle: server.gc,
      profile: server.profile,
      stop: server.stop,
    }
  },
}
