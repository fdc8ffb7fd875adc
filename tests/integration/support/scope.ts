// Per-test setup for the SDK's integration tests: servers and clients started through the scope
// are stopped after each test, the last started first (clients before the server they follow).
import { afterEach } from 'vitest'
import { connectClient } from './clients.js'
import { type LiveServer, startServer } from './server.js'

export const integrationScope = () => {
  const steps: Array<() => unknown> = []
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step()
  })
  const defer = (step: () => unknown): void => void steps.push(step)
  return {
    /** Runs `step` after the current test. */
    defer,
    async serve(...args: Parameters<typeof startServer>): Promise<LiveServer> {
      const server = await startServer(...args)
      defer(() => server.stop())
      return server
    },
    follow(...args: Parameters<typeof connectClient>): ReturnType<typeof connectClient> {
      const recorded = connectClient(...args)
      defer(() => recorded.client.stop())
      return recorded
    },
  }
}
