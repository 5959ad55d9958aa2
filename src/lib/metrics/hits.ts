// Where a user's targets appear in a ranked list: the common input of every accuracy metric.
import {type Csr} from './csr.js'

/**
 * Stamps the distinct targets of `user` in `stamp` (an Int32Array over item rows) with `id`, which
 * must differ from every id stamped before; returns how many distinct targets the user has.
 */
export function markTargets(targets: Csr, user: number, stamp: Int32Array, id: number): number {
  let distinct = 0
  for (let e = targets.offsets[user]; e < targets.offsets[user + 1]; e++) {
    const item = targets.rows[e]
    if (stamp[item] !== id) {
      stamp[item] = id
      distinct++
    }
  }
  return distinct
}

/**
 * Writes the 0-based positions p < k of list[start + p] stamped with `id` into `positions`, in
 * increasing order, and returns their number. Padding (-1) never matches.
 */
export function findHits(list: Int32Array, start: number, k: number, stamp: Int32Array, id: number, positions: Int32Array): number {
  let hits = 0
  for (let p = 0; p < k; p++) {
    const item = list[start + p]
    if (item >= 0 && stamp[item] === id) positions[hits++] = p
  }
  return hits
}

/** How many of the hit positions (ascending) fall inside the first k. */
export function hitsWithin(positions: Int32Array, hits: number, k: number): number {
  let n = 0
  while (n < hits && positions[n] < k) n++
  return n
}
