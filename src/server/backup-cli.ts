// `npm run backup -- <live db> <backup file>`: a consistent copy of a running server's database.
// Progress goes to stderr as pages are copied; the last line says what was written, and where.
import { existsSync, statSync } from 'node:fs'
import { backupDb } from './backup.js'

const [source, destination] = process.argv.slice(2)
if (!source || !destination || !existsSync(source)) {
  console.error(
    `usage: npm run backup -- <sqlite file> <backup file>${source && !existsSync(source) ? `\nno such file: ${source}` : ''}`,
  )
  process.exit(2)
}

let shownTenth = -1
const progress = (done: number, total: number) => {
  if (done === 0) {
    process.stderr.write(`backing up ${source} (${total} pages) to ${destination}\n`)
    return
  }
  // About ten lines for a large file, whatever its size.
  const tenth = Math.floor((done * 10) / total)
  if (tenth === shownTenth) return
  shownTenth = tenth
  process.stderr.write(`copied ${done} of ${total} pages\n`)
}

let pages = 0
try {
  ;({ pages } = await backupDb(source, destination, progress))
} catch (error) {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
const bytes = statSync(destination).size
console.log(
  `backup written to ${destination}: ${pages} pages copied, ${bytes} bytes. ` +
    'A server opening it starts a new epoch, so clients reset.',
)
