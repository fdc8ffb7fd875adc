// The contract shared by the server, the SDK and other services. Imports nothing from the other layers.
export * from './audience.js'
export * from './constants.js'
export * from './errors.js'
export * from './position.js'
export type * from './types.js'
