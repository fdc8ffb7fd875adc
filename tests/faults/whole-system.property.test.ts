// The whole system under faults, model-based (fast-check): an admin and three customers on the
// real SDK, through a TCP proxy, against a real server process. Random commands (holds, removals,
// restocks, product creates/patches/deletes, checkouts, payments, cancellations) mixed with
// faults (connections cut at once or mid-answer, stalls, delays, restarts by SIGTERM or SIGKILL,
// some with a command in flight). Each answer is checked against the model as it comes; after
// each run, once quiet: every store equals its user's snapshot, every commit was applied once
// (checked against the log), the stock invariants hold, the log replays to the tables, and the
// server holds what the model knows.
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { addStats, CUSTOMERS, emptyStats, initialModel, SKUS } from './support/shop-model.js'
import {
  checkout,
  createProduct,
  cutEverything,
  cutNextAnswers,
  cutStreams,
  delay,
  deleteProduct,
  patchOnHand,
  removeFromCart,
  restart,
  restock,
  rush,
  setCart,
  settleOrder,
  stall,
} from './support/steps.js'
import { createWorld, emptyTally } from './support/world.js'

// FAULT_RUNS=<n> soaks it longer by hand. FAULT_SEED=<seed> FAULT_PATH=<path> FAULT_RUNS=1 plays
// again the steps of a failure, as fast-check printed them (the faults' timing may differ); with
// more runs it goes on with the runs that came after it.
const NUM_RUNS = Number(process.env.FAULT_RUNS ?? 6)
const REPLAY =
  process.env.FAULT_SEED === undefined
    ? {}
    : { seed: Number(process.env.FAULT_SEED), path: process.env.FAULT_PATH ?? '0' }
const MAX_COMMANDS = 40
const CATALOG = { tee: 6, mug: 4 }
const tally = emptyTally()

// --- the steps, weighted by how often each appears ---------------------------------------------

const customer = fc.constantFrom(...CUSTOMERS)
const sku = fc.constantFrom(...SKUS)
const qty = fc.integer({ min: 0, max: 4 })

const commandArbs = [
  fc.tuple(customer, sku, qty).map(([u, s, q]) => setCart(u, s, q)),
  fc.tuple(customer, sku, qty).map(([u, s, q]) => setCart(u, s, q)),
  fc.tuple(customer, sku).map(([u, s]) => removeFromCart(u, s)),
  fc
    .tuple(sku, fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }))
    .map(([s, q]) => rush(s, q)),
  fc.tuple(sku, fc.integer({ min: 1, max: 4 })).map(([s, q]) => restock(s, q)),
  fc.tuple(sku, fc.integer({ min: 0, max: 8 })).map(([s, n]) => patchOnHand(s, n)),
  fc.tuple(sku, fc.integer({ min: 0, max: 6 })).map(([s, n]) => createProduct(s, n)),
  sku.map(deleteProduct),
  customer.map(checkout),
  fc.tuple(customer, fc.nat(), fc.boolean()).map(([u, i, pay]) => settleOrder(u, i, pay)),
]
const inFlightArb = fc.option(
  fc.oneof(
    fc.tuple(customer, sku, qty).map(([u, s, q]) => setCart(u, s, q)),
    fc.tuple(sku, fc.integer({ min: 1, max: 4 })).map(([s, q]) => restock(s, q)),
  ),
  { nil: null },
)
const faultArbs = [
  fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }).map(cutStreams),
  fc.constant(null).map(cutEverything),
  // An answer's head is about 300 bytes and its body 20 to 300: most cuts land inside one.
  fc
    .tuple(
      fc.oneof(
        fc.tuple(fc.integer({ min: 0, max: 280 }), fc.constant('response' as const)),
        fc.tuple(fc.integer({ min: 0, max: 60 }), fc.constant('body' as const)),
      ),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([[n, of], times]) => cutNextAnswers(n, of, times)),
  fc.constant(null).map(stall),
  fc.constantFrom(0, 15, 60).map(delay),
  fc
    .tuple(fc.constantFrom('SIGTERM' as const, 'SIGKILL' as const), inFlightArb)
    .map(([s, c]) => restart(s, c)),
]

describe('the whole system under faults', () => {
  afterAll(() => {
    console.log(
      `${tally.runs} runs, ${tally.commands} steps: ${tally.cuts} cuts, ${tally.stalls} stalls, ` +
        `${tally.delays} delays, ${tally.restarts} restarts; ${tally.reconnects} reconnections; ` +
        `${tally.applied} commits applied by clients, each exactly once`,
    )
  })

  it(
    'converges to the server, applies every commit once and keeps the stock invariants',
    async () => {
      const stats = emptyStats()
      await fc.assert(
        fc.asyncProperty(
          fc.commands([...commandArbs, ...faultArbs], { maxCommands: MAX_COMMANDS, size: 'max' }),
          async (steps) => {
            const world = await createWorld(CATALOG, tally)
            const model = initialModel(CATALOG)
            try {
              await fc.asyncModelRun(() => ({ model, real: world }), steps)
              await world.settle(model)
              tally.runs++
              tally.commands += [...steps].length
            } finally {
              addStats(stats, model.stats)
              await world.dispose()
            }
          },
        ),
        { numRuns: NUM_RUNS, endOnFailure: true, ...REPLAY },
      )
      console.log(
        `command answers: ${stats.applied} carried out (${stats.replayed} replayed after a cut), ` +
          `${stats.refused} refused, ${stats.unknown} lost after every retry ${JSON.stringify(stats.lost)}`,
      )
    },
    NUM_RUNS * 20_000,
  )
})
