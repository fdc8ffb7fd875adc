// GET /metrics: Prometheus text. Loopback callers only unless the server is told otherwise.
import { Hono } from 'hono'
import { PATHS } from '../../actions/index.js'
import { ShelfsyncError } from '../errors.js'
import type { AppEnv } from '../http/env.js'
import type { LiveFigures, Metrics } from '../metrics.js'

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/

export const metricsRoute = (input: {
  metrics: Metrics
  public: boolean
  live: () => LiveFigures
}) =>
  new Hono<AppEnv>().get(PATHS.metrics, (c) => {
    const address = c.env?.incoming?.socket.remoteAddress
    if (!input.public && address !== undefined && !LOOPBACK.test(address)) {
      throw new ShelfsyncError('auth/forbidden', '/metrics answers loopback callers only.')
    }
    return c.text(input.metrics.render(input.live()), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    })
  })
