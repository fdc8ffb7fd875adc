// Writes a suite's results as JSON under bench/results/<suite>-<date>.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url))

/** The machine the numbers come from, stored beside them. */
export const machine = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
})

export const writeResults = (suite: string, payload: Record<string, unknown>): string => {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-')
  const file = `${RESULTS_DIR}${suite}-${stamp}.json`
  writeFileSync(
    file,
    `${JSON.stringify({ suite, date: new Date().toISOString(), machine: machine(), ...payload }, null, 2)}\n`,
  )
  return file
}
