// Reads a V8 .cpuprofile and lists where the time went: self time per function, busiest first.
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** The `top` functions by self time, as "share% name file:line" lines (idle left out). */
export const summarizeProfile = (file: string, top = 12): string[] => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const self = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id)
    if (!frame || frame.functionName === '(idle)') return
    const delta = profile.timeDeltas[i] ?? 0
    const where = frame.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '')
    const key = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`
    self.set(key, (self.get(key) ?? 0) + delta)
    busy += delta
  })
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, time]) => `${((time / busy) * 100).toFixed(1).padStart(5)}% ${key}`)
}
