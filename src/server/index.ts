// shelfsync/server: the app factory, token signing and configuration, for a host application.
export { DEFAULT_LIMITS, createShelfsync, type Shelfsync, type ShelfsyncLimits, type ShelfsyncOptions } from './app.js'
export { signToken, verifyToken, type TokenClaims } from './auth/tokens.js'
export type { Clock } from './clock.js'
export { configFromEnv, DEFAULT_CONFIG, type ListenConfig, type ServerConfig } from './config.js'
export { ShelfsyncError } from './errors.js'
export type { Fanout, Subscriber } from './stream/fanout.js'
