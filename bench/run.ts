// `npm run bench`: runs the selected suites, prints a table for each and writes its JSON to
// bench/results/<suite>-<date>.json.
//   npm run bench -- --quick                 a smoke test of every suite (CI)
//   npm run bench -- --only fanout           one suite, full size
//   npm run bench -- --only fanout --clients=1000 --targets=shelfsync,bare --profile
import { ensureBuilt } from '../scripts/ensure-built.mjs'
import { parseArgs } from './lib/args.js'
import { machine, writeResults } from './lib/results.js'
import { formatTable } from './lib/table.js'

const args = parseArgs(process.argv.slice(2))

// Every suite runs the built library (see lib/built.ts); some load it as they are imported.
ensureBuilt({ app: false })
const { SUITES } = await import('./suites.js')

if (args.list) {
  for (const suite of SUITES) console.log(`${suite.name.padEnd(10)} ${suite.summary}`)
  process.exit(0)
}

const unknown = (args.only ?? []).filter((name) => !SUITES.some((suite) => suite.name === name))
if (unknown.length > 0) {
  console.error(
    `bench: no suite named ${unknown.join(', ')}; there are ${SUITES.map((s) => s.name).join(', ')}`,
  )
  process.exit(2)
}
const selected = SUITES.filter((suite) => args.only === null || args.only.includes(suite.name))

const { cpus, cpuModel, memoryGiB, node } = machine()
console.log(
  `Shelfsync bench (${args.quick ? 'quick' : 'full'}) on ${cpus} × ${cpuModel}, ${memoryGiB} GiB, Node ${node}, ${new Date().toISOString()}`,
)

let failed = 0
for (const suite of selected) {
  console.log(`\n## ${suite.name}: ${suite.summary}`)
  const started = Date.now()
  try {
    const result = await suite.run({ quick: args.quick, profile: args.profile, flags: args.flags })
    console.log(`\n${formatTable(result)}\n`)
    for (const note of result.notes) console.log(`  ${note}`)
    const file = writeResults(suite.name, {
      quick: args.quick,
      seconds: (Date.now() - started) / 1000,
      table: { columns: result.columns, rows: result.rows },
      notes: result.notes,
      data: result.data,
    })
    console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s; results in ${file}`)
    if (result.failed) {
      failed++
      console.error(`  ${suite.name}: ${result.failed} case(s) failed; see the notes above`)
    }
  } catch (error) {
    failed++
    console.error(`  ${suite.name} failed:`, error)
  }
}
process.exit(failed > 0 ? 1 : 0)
