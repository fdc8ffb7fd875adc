// The event every target sends: a Shelfsync `stock/changed` commit, byte for byte the shape the
// server streams for POST /api/products/:sku/restock, so every reference moves the same bytes.
// `at` is the write time in whole ms (Shelfsync's commit field); clients measure latency from it.

export const SKU = 'bench-sku-00000000000000000001'
/** Twelve characters, like a Shelfsync epoch, so ids have the same length. */
export const REFERENCE_EPOCH = 'benchref0000'
/** Stock starts here so that onHand keeps the same number of digits through a run. */
export const START_ON_HAND = 1_000_000

/** The `data:` JSON of commit `seq` written at `at`. */
export const commitData = (seq: number, at: number): string =>
  `{"seq":${seq},"at":${at},"actions":[{"type":"stock/changed","payload":{"sku":"${SKU}","onHand":${START_ON_HAND + seq},"held":0,"version":${seq}}}]}`

/** The whole SSE frame, as Shelfsync writes it: `id:` then `data:`, no `event:`. */
export const commitFrame = (seq: number, at: number): string =>
  `id: ${REFERENCE_EPOCH}:${seq}\ndata: ${commitData(seq, at)}\n\n`
