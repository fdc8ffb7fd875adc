// What the fan-out bench needs from a server under test, whatever runs it.
import type { FleetTarget } from '../fleet.js'
import type { MakeWrite } from '../writer.js'

export interface RunningTarget {
  /** Where the clients connect. */
  stream: FleetTarget
  /** One commit or publish, for the writer. */
  write: MakeWrite
  /** Root of the process tree whose resident memory counts as the server's. */
  pids(): number[]
  /** Collects garbage before memory is read, where it can; answers the JS heap, or null. */
  settle(): Promise<number | null>
  /** Node servers: starts a CPU profile of what follows; the function returned writes it. */
  profile?(label: string): Promise<() => Promise<string>>
  stop(): Promise<void>
}

export interface TargetOptions {
  clients: number
}

export interface Target {
  name: string
  /** Why this target cannot run here, or null. May install Debian packages when allowed. */
  unavailable(options: { allowInstall: boolean }): Promise<string | null>
  start(options: TargetOptions): Promise<RunningTarget>
}
