// Pacing a live stream whose batches cost the store much. Applying commits copies the records
// they touch, so a store of 10k products pays about 5 ms for every batch, be it one commit or a
// thousand. Live commits come one per chunk: at 150 a second that store spent more than half a
// core (bench/live). So applying live batches gets a budget, a third of the wall time, kept as
// credit that refills with time (at most PACE_CREDIT_MS of it, for bursts). A batch spends its
// cost; when the credit runs out, the stream is left unread until it is back to zero, and the
// commits that arrive meanwhile wait in the socket and come as one batch. A store that stays
// within the budget (a small one, or a big one at a modest rate) is never paused, and a backlog
// (a catch-up) is read flat out and spends nothing.

/** The share of wall time that applying live batches may take. */
export const PACE_SHARE = 1 / 3
/** Credit at most, in milliseconds of applying: a burst of costly batches goes through at once. */
export const PACE_CREDIT_MS = 50
/**
 * Never pause longer: a commit waits at most this long, plus its batch's cost. The connection
 * lowers it to a quarter of the watchdog's time, so that a pause never looks like a dead stream.
 */
export const PACE_MAX_MS = 100
/** A batch of this much text or more is a backlog being caught up with. */
export const PACE_BACKLOG_CHARS = 16 * 1024

export interface Pacer {
  /**
   * After a batch of `chars` characters that took `costMs` and ended at `now`: how long to leave
   * the stream unread.
   */
  pauseAfter(costMs: number, chars: number, now: number): number
}

/**
 * One stream's pacer, starting with full credit at `now`. The debt is never more than one longest
 * pause pays back: a single stalled batch (a collection, a slow listener) costs one pause, not a
 * pause for every batch after it.
 *
 * @example
 * const pacer = createPacer(Date.now())
 * const pause = pacer.pauseAfter(5, 300, Date.now()) // 0 while credit lasts
 */
export const createPacer = (now: number, maxPauseMs = PACE_MAX_MS): Pacer => {
  const longest = Math.min(PACE_MAX_MS, maxPauseMs)
  let credit = PACE_CREDIT_MS
  let at = now
  return {
    pauseAfter(costMs, chars, now) {
      const elapsed = Math.max(0, now - at)
      at = now
      if (chars >= PACE_BACKLOG_CHARS) return 0
      credit = Math.max(
        -longest * PACE_SHARE,
        Math.min(PACE_CREDIT_MS, credit + elapsed * PACE_SHARE) - costMs,
      )
      return credit >= 0 ? 0 : -credit / PACE_SHARE
    },
  }
}
