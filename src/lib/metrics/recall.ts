// Set-based accuracy at K: recall, hit rate and precision, from the hit positions of one user's list.
import {hitsWithin} from './hits.js'

/** Share of the user's distinct targets found in the top k: hits@k / |targets| (not min(|targets|, k)). */
export function recallAt(positions: Int32Array, hits: number, nTargets: number, k: number): number {
  return hitsWithin(positions, hits, k) / nTargets
}

/** 1 if any target is in the top k, else 0. */
export function hitRateAt(positions: Int32Array, hits: number, k: number): number {
  return hits > 0 && positions[0] < k ? 1 : 0
}

/** hits@k / k: the denominator stays k even when fewer than k items could be ranked. */
export function precisionAt(positions: Int32Array, hits: number, k: number): number {
  return hitsWithin(positions, hits, k) / k
}
