// `npm run verify -- <db file>`: replays the log and compares it with the tables; exit 1 on a difference.
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { verifyDb } from './verify.js'

const file = process.argv[2]
if (!file || !existsSync(file)) {
  console.error(`usage: npm run verify -- <sqlite file>${file ? `\nno such file: ${file}` : ''}`)
  process.exit(2)
}
const db = new Database(file, { readonly: true, fileMustExist: true })
let lastPrint = 0
const report = verifyDb(db, (done, total) => {
  const now = Date.now()
  if (now - lastPrint > 1000) {
    lastPrint = now
    process.stderr.write(`replaying: ${done} of ${total} commits\n`)
  }
})
db.close()
console.log(
  `${report.ok ? 'ok' : 'DIFFERENCES'}: replayed ${report.commitsReplayed} commits from base seq ${report.baseSeq} to ${report.head}; ` +
    `${report.counts.products} products, ${report.counts.lines} cart lines, ${report.counts.orders} orders in the tables`,
)
for (const line of report.differences.slice(0, 50)) console.log(`  ${line}`)
if (report.differences.length > 50) console.log(`  … and ${report.differences.length - 50} more`)
process.exit(report.ok ? 0 : 1)
