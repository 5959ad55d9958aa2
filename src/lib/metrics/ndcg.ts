// Normalised discounted cumulative gain at K with binary relevance.
import {hitsWithin} from './hits.js'

/** discount[p] = 1 / log2(p + 2) for 0-based position p; grown on demand. */
let discount = new Float64Array(0)

function discounts(k: number): Float64Array {
  if (discount.length < k) discount = Float64Array.from({length: Math.max(k, 128)}, (_, p) => 1 / Math.log2(p + 2))
  return discount
}

/**
 * DCG@k / IDCG@k where a target at 0-based position p gains 1 / log2(p + 2) and the ideal list puts
 * min(|targets|, k) targets first. In [0, 1]; 1 when the first min(|targets|, k) slots are all targets.
 */
export function ndcgAt(positions: Int32Array, hits: number, nTargets: number, k: number): number {
  const d = discounts(k)
  const n = hitsWithin(positions, hits, k)
  let dcg = 0
  for (let j = 0; j < n; j++) dcg += d[positions[j]]
  let ideal = 0
  for (let p = 0; p < Math.min(nTargets, k); p++) ideal += d[p]
  return dcg / ideal
}
