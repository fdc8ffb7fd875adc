// Every benchmark suite `npm run bench` knows, in the order they run. Add a suite here.
import { commandsSuite } from './commands/suite.js'
import { fanoutSuite } from './fanout/suite.js'
import type { Suite } from './lib/suite.js'
import { liveSuite } from './live/suite.js'
import { resumeSuite } from './resume/suite.js'
import { sizeSuite } from './size/suite.js'
import { storeSuite } from './store/suite.js'

export const SUITES: readonly Suite[] = [
  fanoutSuite,
  commandsSuite,
  storeSuite,
  liveSuite,
  resumeSuite,
  sizeSuite,
]
