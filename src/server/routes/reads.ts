// Reading routes: health (no auth) and the caller's snapshot.
import { Hono } from 'hono'
import { type Health, PATHS } from '../../actions/index.js'
import type { AppEnv } from '../http/env.js'
import type { RouteDeps } from './deps.js'

export const healthRoute = (deps: RouteDeps) =>
  new Hono<AppEnv>().get(PATHS.health, (c) =>
    c.json({ ok: true, epoch: deps.epoch, seq: deps.rows.log.head() } satisfies Health),
  )

export const snapshotRoute = (deps: RouteDeps) =>
  new Hono<AppEnv>().get(PATHS.snapshot, (c) => {
    const { user } = c.get('identity')
    deps.admitRead(user)
    return c.json(deps.readSnapshot(user))
  })
