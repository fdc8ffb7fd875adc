// `npm run backup -- <live db> <backup file>`: a consistent copy of a running server's database.
import { existsSync } from 'node:fs'
import { backupDb } from './backup.js'

const [source, destination] = process.argv.slice(2)
if (!source || !destination || !existsSync(source)) {
  console.error(
    `usage: npm run backup -- <sqlite file> <backup file>${source && !existsSync(source) ? `\nno such file: ${source}` : ''}`,
  )
  process.exit(2)
}
await backupDb(source, destination, (done, total) =>
  process.stderr.write(`backing up: ${done} of ${total} pages\n`),
)
console.log(
  `backup written to ${destination}; a server opening it starts a new epoch, so clients reset.`,
)
