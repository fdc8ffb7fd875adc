// Debian packages a benchmark needs: installed with apt-get when missing, saying so, and never
// fatal; a reference whose packages cannot be had is skipped by its caller.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

let updated = false

const run = (command: string, args: string[], timeoutMs: number): boolean => {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: timeoutMs,
  })
  if (result.status !== 0) {
    const reason = result.error?.message ?? result.stderr?.toString().trim().split('\n').pop() ?? ''
    console.log(`  ${command} ${args.join(' ')} failed: ${reason}`)
  }
  return result.status === 0
}

const isRoot = () => process.getuid?.() === 0

/**
 * Makes sure `files` exist, installing `packages` with apt-get if they do not. Returns null when
 * everything is there, or the reason it is not (for a "skipped" line).
 */
export const ensureDebianPackages = (
  packages: readonly string[],
  files: readonly string[],
  options: { allowInstall: boolean },
): string | null => {
  const missing = () => files.filter((file) => !existsSync(file))
  if (missing().length === 0) return null
  if (!options.allowInstall) {
    return `${missing().join(', ')} missing (the full run installs ${packages.join(' ')} with apt-get)`
  }
  if (!isRoot()) return `${missing().join(', ')} missing and not root, so apt-get cannot install`
  if (!existsSync('/usr/bin/apt-get')) return `${missing().join(', ')} missing and no apt-get here`
  console.log(`  installing Debian packages: apt-get install -y ${packages.join(' ')}`)
  if (!updated) {
    console.log('  apt-get update (once)')
    updated = run('apt-get', ['update'], 300_000)
  }
  run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], 600_000)
  const still = missing()
  return still.length === 0 ? null : `${still.join(', ')} still missing after apt-get install`
}
