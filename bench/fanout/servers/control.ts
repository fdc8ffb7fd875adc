// The parent's handle on a Node server child: "ready" with its port, a full GC before memory is
// read, a CPU profile of one phase (node:inspector), and a clean stop. Exits if the parent goes.
import { writeFileSync } from 'node:fs'
import type { IncomingMessage, Server } from 'node:http'
import { Session } from 'node:inspector'

export type ToServer =
  | { type: 'gc' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'stop' }
export type FromServer =
  | { type: 'ready'; port: number; epoch?: string }
  | { type: 'gc-done'; heapBytes: number }
  | { type: 'profile-started' }
  | { type: 'profile-written'; file: string }

const gc = (globalThis as { gc?: () => void }).gc
const reply = (message: FromServer) => process.send?.(message)

const createProfiler = () => {
  const session = new Session()
  session.connect()
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    )
  return {
    async start() {
      await post('Profiler.enable')
      await post('Profiler.start')
    },
    async stop(file: string) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown }
      writeFileSync(file, JSON.stringify(profile))
    },
  }
}

export const runControl = (
  server: Server,
  extra: { epoch?: string } = {},
  onStop?: () => Promise<void> | void,
) => {
  const profiler = createProfiler()
  const stop = async () => {
    await onStop?.()
    server.closeAllConnections()
    server.close()
    process.exit(0)
  }
  process.on('message', async (message: ToServer) => {
    switch (message.type) {
      case 'gc': {
        gc?.()
        gc?.()
        const { heapUsed, external } = process.memoryUsage()
        return reply({ type: 'gc-done', heapBytes: heapUsed + external })
      }
      case 'profile-start':
        await profiler.start()
        return reply({ type: 'profile-started' })
      case 'profile-stop':
        await profiler.stop(message.file)
        return reply({ type: 'profile-written', file: message.file })
      case 'stop':
        return stop()
    }
  })
  process.on('disconnect', () => process.exit(0))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  reply({ type: 'ready', port, ...extra })
}

/** The whole request body as a Buffer. */
export const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.once('end', () => resolve(Buffer.concat(chunks)))
    request.once('error', reject)
  })

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
}
