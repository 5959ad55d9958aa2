// Accuracy metrics of ranked lists against held-out targets: per-user values for every K, and their means.
import {RecError} from '../errors.js'
import {type Csr} from './csr.js'
import {findHits, markTargets} from './hits.js'
import {averagePrecisionAt} from './map-at-k.js'
import {reciprocalRank} from './mrr.js'
import {ndcgAt} from './ndcg.js'
import {hitRateAt, precisionAt, recallAt} from './recall.js'

export interface RankedLists {
  /** [users.length, listK] item rows, best first, -1 padded (as returned by rankUsers). */
  lists: Int32Array
  listK: number
  /** User row of each list, to look up its targets. */
  users: Int32Array
}

/** Metric name -> one value per user (same order as `users`), plus the mean of each. */
export interface MetricTable {
  perUser: Record<string, Float32Array>
  mean: Record<string, number>
}

/** The names computed for one K, in report order; "mrr" follows them once. */
export function accuracyNames(k: number): string[] {
  return [`recall@${k}`, `ndcg@${k}`, `hitrate@${k}`, `precision@${k}`, `map@${k}`]
}

/**
 * recall@k, ndcg@k, hitrate@k, precision@k, map@k for each k in `ks` (each <= listK), and mrr over
 * the whole list (so truncated at listK). Targets are indexed by user row and treated as a set;
 * every user must have at least one. Means are taken over users in float64.
 */
export function computeRankingMetrics(ranked: RankedLists, targets: Csr, ks: readonly number[], nItems: number): MetricTable {
  const {lists, listK, users} = ranked
  const n = users.length
  if (lists.length !== n * listK) throw new RecError('MISMATCH', `ranked lists hold ${lists.length} entries, not ${n} users x ${listK}`)
  const tooLong = ks.find((k) => !(Number.isInteger(k) && k >= 1 && k <= listK))
  if (tooLong !== undefined) throw new RecError('INVALID_ARGUMENT', `K=${tooLong} must be an integer in [1, ${listK}], the length of the ranked lists`)
  const names = [...ks.flatMap(accuracyNames), 'mrr']
  const perUser: Record<string, Float32Array> = Object.fromEntries(names.map((name) => [name, new Float32Array(n)]))
  const sums = new Float64Array(names.length)
  const stamp = new Int32Array(nItems).fill(-1)
  const positions = new Int32Array(listK)
  const put = (slot: number, j: number, value: number) => {
    perUser[names[slot]][j] = value
    sums[slot] += value
  }
  for (let j = 0; j < n; j++) {
    const nTargets = markTargets(targets, users[j], stamp, j)
    const hits = findHits(lists, j * listK, listK, stamp, j, positions)
    let slot = 0
    for (const k of ks) {
      put(slot++, j, recallAt(positions, hits, nTargets, k))
      put(slot++, j, ndcgAt(positions, hits, nTargets, k))
      put(slot++, j, hitRateAt(positions, hits, k))
      put(slot++, j, precisionAt(positions, hits, k))
      put(slot++, j, averagePrecisionAt(positions, hits, nTargets, k))
    }
    put(slot, j, reciprocalRank(positions, hits))
  }
  const mean = Object.fromEntries(names.map((name, slot) => [name, n > 0 ? sums[slot] / n : NaN]))
  return {perUser, mean}
}
