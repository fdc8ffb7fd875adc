// Processes for benchmarks: pinned to a core, with a raised open-file limit, measured by RSS.
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'

/** The open-file limit the bench asks for in every process it starts (the machine's hard cap). */
export const OPEN_FILES = 20_000

export const SERVER_CORE = 0
export const LOAD_CORE = 1

// Counted once at start: availableParallelism() shrinks to 1 once this process pins itself.
const CORES = os.availableParallelism()

/** True when server and load can be pinned to different cores. */
export const canPin = (): boolean =>
  CORES >= 2 && existsSync('/usr/bin/taskset') && existsSync('/bin/bash')

/** Every core this process could use when it started, for taskset: "0-1". */
export const ALL_CORES = `0-${CORES - 1}`

const hardOpenFiles = (): number => {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'))
  const hard = line?.trim().split(/\s+/)[4]
  return hard === undefined || hard === 'unlimited' ? OPEN_FILES : Number(hard)
}

/** The limit actually requested: OPEN_FILES, or the hard limit when that is lower. */
export const openFilesLimit = (): number => Math.min(OPEN_FILES, hardOpenFiles())

/**
 * Spawns `command` through bash so that it runs with `ulimit -n` raised and, when the machine
 * allows it, pinned to `core` with taskset. The child execs in place of bash (same pid).
 */
export const spawnPinned = (
  core: number | null,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess => {
  const pin = core !== null && canPin() ? `taskset -c ${core} ` : ''
  const script = `ulimit -n ${openFilesLimit()} && exec ${pin}"$@"`
  return spawn('/bin/bash', ['-c', script, 'bench', command, ...args], options)
}

/** Pins this process (every thread) to `cores`, e.g. '1' or '0-1'. */
export const pinSelf = (cores: string): void => {
  if (!canPin()) return
  execFileSync('taskset', ['-a', '-p', '-c', cores, String(process.pid)], { stdio: 'ignore' })
}

const childrenOf = (): Map<number, number[]> => {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(entry))
      children.set(ppid, list)
    } catch {
      // the process ended while we looked
    }
  }
  return children
}

const rssOf = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

const TICKS_PER_SECOND = 100

const cpuOf = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime, fields 14 and 15 of stat(5), counted from the state field (3).
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

const sumOverTree = (pids: readonly number[], measure: (pid: number) => number): number => {
  const children = childrenOf()
  let total = 0
  const stack = [...pids]
  while (stack.length > 0) {
    const next = stack.pop() as number
    total += measure(next)
    stack.push(...(children.get(next) ?? []))
  }
  return total
}

/** Resident memory of `pids` and all their descendants, in bytes. */
export const treeRss = (pids: readonly number[]): number => sumOverTree(pids, rssOf)

/** CPU seconds (user + system) used so far by `pids` and their living descendants. */
export const treeCpuSeconds = (pids: readonly number[]): number => sumOverTree(pids, cpuOf)

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** Resolves once something accepts connections on 127.0.0.1:`port`. */
export const waitForPort = async (port: number, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`)
    await sleep(50)
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export const stopChild = (child: ChildProcess, graceMs = 3_000): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
