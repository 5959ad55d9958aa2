// Maximal marginal relevance: greedily pick argmax lambda * score - (1 - lambda) * max cosine to the picked items.
import {raiseMaxDots} from '../../kernels/dot.js'
import type {ServingWorld} from '../world.js'
import type {Candidate, Selector} from '../types.js'

/**
 * Reorders the first min(`window`, max(3k, 30)) candidates (the rest follow unchanged); lambda = 1 keeps the score
 * order, lambda = 0 maximises spread. Similarity is the cosine of item-tower embeddings; scores are min-max scaled
 * to [0, 1] over the pool first, so that lambda weighs the same for any scorer: a pool's score range was ~0.3 with
 * the retrieval cosine, ~0.09 with a MovieLens ranker (similarity then decided alone) and ~3 with a gen-data
 * ranker's fused score (similarity then hardly counted).
 */
export function mmr(world: ServingWorld, lambda: number, window = 100): Selector {
  return {
    id: 'Mmr',
    apply(query, candidates) {
      // only the head is shown: diversify the first max(3k, 30); at 60 x 60 x 32 that is ~58k multiply-adds
      const n = Math.min(candidates.length, window, Math.max(3 * query.k, 30))
      const {vectors, scores} = poolOf(world, candidates, n)
      const maxSim = new Float64Array(n).fill(-Infinity)
      // the pool positions not yet picked, in increasing order (the scan keeps the first of equal values)
      const left = Int32Array.from({length: n}, (_, i) => i)
      const out: Candidate[] = []
      for (let m = n; m > 0; m--) {
        // a NaN score never compares greater: such candidates go last, in pool order
        let at = 0
        let bestValue = -Infinity
        for (let p = 0; p < m; p++) {
          const i = left[p]
          const value = lambda * scores[i] - (1 - lambda) * (m === n ? 0 : maxSim[i])
          if (value > bestValue) {
            bestValue = value
            at = p
          }
        }
        const best = left[at]
        left.copyWithin(at, at + 1, m)
        out.push(candidates[best])
        raiseMaxDots(vectors, best * world.dim, left, m - 1, world.dim, maxSim)
      }
      for (let i = n; i < candidates.length; i++) out.push(candidates[i])
      return out
    },
  }
}

/** The first n candidates' item vectors side by side [n, dim] as doubles (no conversion in the inner loop), and their scores scaled to [0, 1]. */
function poolOf(world: ServingWorld, candidates: Candidate[], n: number): {vectors: Float64Array; scores: Float64Array} {
  const dim = world.dim
  const vectors = new Float64Array(n * dim)
  let low = Infinity
  let high = -Infinity
  for (let i = 0; i < n; i++) {
    vectors.set(world.itemVectors.subarray(candidates[i].row * dim, (candidates[i].row + 1) * dim), i * dim)
    const score = candidates[i].score
    if (score < low) low = score
    if (score > high) high = score
  }
  // equal scores carry no preference: similarity alone orders the pool
  const range = high > low ? high - low : Infinity
  const scores = Float64Array.from({length: n}, (_, i) => (candidates[i].score - low) / range)
  return {vectors, scores}
}
