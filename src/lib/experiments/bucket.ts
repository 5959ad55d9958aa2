// Deterministic bucketing: a user's bucket in 0..9999 from a hash of (salt, experiment id, user id), and buckets -> arms by cumulative ranges.
import {createHash} from 'node:crypto'

/** Buckets per experiment: a percent maps to a whole number of buckets in steps of 0.01. */
export const BUCKETS = 10_000

/**
 * The first 4 bytes of sha256("<salt>:<experiment id>:<user id in decimal>") as a big-endian uint32, mod
 * 10,000. Anyone can recompute it (SQL, Python) from those three strings. Experiment ids cannot hold ":" and
 * user ids are digits, so the string splits one way only. 2^32 mod 10,000 = 7,296: buckets below 7,296
 * are drawn with probability 429,497 / 2^32 and the others 429,496 / 2^32, a bias of 2e-6 relative.
 * A few us per call on this machine (one hash per feed request and per interaction).
 */
export function bucketOf(salt: string, experimentId: string, userId: bigint): number {
  const digest = createHash('sha256').update(`${salt}:${experimentId}:${userId}`).digest()
  return digest.readUInt32BE(0) % BUCKETS
}

/** Buckets [start, end) of one arm. */
export interface BucketRange {
  start: number
  end: number
}

/**
 * Each arm's range, in arm order: arm i holds [sum of the percents before it, that sum + its percent) x 100.
 * Moving the boundary between two neighbouring arms moves only the users between the old and the new
 * boundary; an arm whose start and end stay put keeps every one of its users.
 */
export function bucketRanges(percents: readonly number[]): BucketRange[] {
  let cumulative = 0
  return percents.map((percent) => {
    const start = Math.round(cumulative * 100)
    cumulative += percent
    return {start, end: Math.round(cumulative * 100)}
  })
}

/** Index of the range holding `bucket`; -1 when none does (the percents sum to less than 100). */
export function rangeOf(ranges: readonly BucketRange[], bucket: number): number {
  return ranges.findIndex((range) => bucket >= range.start && bucket < range.end)
}
