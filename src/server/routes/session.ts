// POST /api/session: demo-mode sign-in by name. With demo mode off the route does not exist.
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { PATHS, SESSION_COOKIE, type Session } from '../../actions/index.js'
import { SessionBody } from '../../actions/schemas.js'
import { readJson } from '../http/body.js'
import type { AppEnv } from '../http/env.js'
import { forwardedProto } from '../http/forwarded.js'
import type { RouteDeps } from './deps.js'

export const sessionRoutes = (deps: RouteDeps) =>
  new Hono<AppEnv>().post(PATHS.session, async (c) => {
    const { value } = readJson(c, SessionBody)
    const token = deps.signSession(value.user)
    const secure = new URL(c.req.url).protocol === 'https:' || forwardedProto(c) === 'https'
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/',
      maxAge: Math.floor(deps.config.tokenTtlMs / 1000),
    })
    const session: Session = {
      token,
      user: value.user,
      role: deps.config.admins.includes(value.user) ? 'admin' : 'customer',
    }
    return c.json(session)
  })
