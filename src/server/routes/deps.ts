// What the routes are built from; made once by createShelfsync.
import type { Snapshot } from '../../actions/index.js'
import type { Clock } from '../clock.js'
import type { ServerConfig } from '../config.js'
import type { Rows } from '../db/rows.js'
import type { CommandRunner } from '../http/commands.js'
import type { Fanout } from '../stream/fanout.js'
import type { StreamBounds } from '../stream/open-stream.js'
import type { StreamRegistry } from '../stream/registry.js'

export interface RouteDeps {
  config: ServerConfig
  epoch: string
  clock: Clock
  rows: Rows
  commands: CommandRunner
  fanout: Fanout
  streams: StreamRegistry
  streamBounds: StreamBounds
  readSnapshot: (user: string) => Snapshot
  /** Refuses (429) a user's snapshot read or stream open past the read rate. */
  admitRead: (user: string) => void
  signSession: (user: string) => string
  cartLimits: { holdTtlMs: number; maxCartLines: number; maxHeldUnits: number }
  /** Whether the CORS allowlist is on: then answers vary by `Origin`. */
  cors: boolean
}
