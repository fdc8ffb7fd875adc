// The store's own immer instance, so a host app's global immer settings (`setAutoFreeze`, …)
// neither reach the store nor are changed by it.
//
// Auto-freeze is off. Freezing walks every tree a `produce` returns: on each commit every key of
// the 10k-product record (to find the products already frozen), on each snapshot all the new
// products. That walk cost more than the change itself (bench/store). The state is never mutated
// in place anyway: the dispatcher is its only writer, and each reducer returns a new state.
import { Immer } from 'immer'

const immer = new Immer({ autoFreeze: false })

export const produce: Immer['produce'] = immer.produce
