// The built shop app from the API's own origin (`npm start`): its files, and index.html for every
// other GET so the app's own routes load. Paths under /api are never the app's: one without a route
// answers the API's 404 problem, not a page that looks like success.
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'
import type { AppEnv } from './http/env.js'

export const serveApp = (app: Hono<AppEnv>, root: string): void => {
  app.all('/api/*', (c) => c.notFound())
  app.use('*', serveStatic({ root }))
  app.get('*', serveStatic({ root, path: 'index.html' }))
}
