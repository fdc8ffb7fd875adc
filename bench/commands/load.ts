// Holds over HTTP: `concurrency` keep-alive connections, each a simulated customer toggling
// its hold between 1 and 2 units, on one contended product or on one product each.
import http from 'node:http'
import { createHistogram, type Histogram } from '../fanout/histogram.js'

export interface LoadResult {
  holds: number
  refused: number
  seconds: number
  latencies: Histogram
}

export const runHolds = async (input: {
  port: number
  tokens: readonly string[]
  skuOf: (user: number) => string
  seconds: number
}): Promise<LoadResult> => {
  const { port, tokens, skuOf, seconds } = input
  const agent = new http.Agent({ keepAlive: true, maxSockets: tokens.length })
  const latencies = createHistogram()
  let holds = 0
  let refused = 0
  const put = (token: string, sku: string, qty: number) =>
    new Promise<number>((resolve, reject) => {
      const body = `{"qty":${qty}}`
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: 'PUT',
          path: `/api/cart/lines/${sku}`,
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            'Content-Length': body.length,
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  const started = performance.now()
  const until = started + seconds * 1000
  await Promise.all(
    tokens.map(async (token, u) => {
      let qty = 0
      while (performance.now() < until) {
        qty = qty === 1 ? 2 : 1
        const t = performance.now()
        const status = await put(token, skuOf(u), qty)
        latencies.record(performance.now() - t)
        if (status === 200) holds++
        else refused++
      }
    }),
  )
  agent.destroy()
  return { holds, refused, seconds: (performance.now() - started) / 1000, latencies }
}
