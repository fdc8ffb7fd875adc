// Target (b): the bare node:http server, the ceiling for Node.

import { commitFrame } from '../frame.js'
import { SSE_ACCEPT } from './headers.js'
import { startNodeServer } from './node-server.js'
import type { Target } from './target.js'

export const bareTarget: Target = {
  name: 'node:http (bare)',
  unavailable: async () => null,
  async start() {
    const server = await startNodeServer('bare')
    return {
      stream: { port: server.port, path: '/events', headers: SSE_ACCEPT },
      write: (seq, at) => ({
        port: server.port,
        path: '/publish',
        headers: {},
        body: commitFrame(seq, at),
      }),
      pids: () => [server.pid],
      settle: server.gc,
      profile: server.profile,
      stop: server.stop,
    }
  },
}
