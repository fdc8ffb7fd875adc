// Test servers take no write or read rate: a manual clock never refills the buckets, and the
// tests' own snapshot reads (comparing clients with the server) are no client's. The limits' own
// tests set theirs.
export const NO_RATE_LIMITS = {
  rate: { perSecond: 1e9, burst: 1e9 },
  reads: { perSecond: 1e9, burst: 1e9 },
}
