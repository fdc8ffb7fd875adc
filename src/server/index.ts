// shelfsync/server: the app factory, token signing and configuration, for a host application.
export {
  createShelfsync,
  DEFAULT_LIMITS,
  type Shelfsync,
  type ShelfsyncLimits,
  type ShelfsyncOptions,
} from './app.js'
export { signToken, type TokenClaims, verifyToken } from './auth/tokens.js'
export type { Clock } from './clock.js'
export { configFromEnv, DEFAULT_CONFIG, type ListenConfig, type ServerConfig } from './config.js'
export { ShelfsyncError } from './errors.js'
export type { Fanout, FanoutInput, Subscriber } from './stream/fanout.js'
export { createLocalFanout, type LocalFanoutOptions } from './stream/local-fanout.js'
