// Maximal marginal relevance: greedily pick argmax lambda * score - (1 - lambda) * max cosine to the picked items.
import type {ServingWorld} from '../world.js'
import type {Candidate, Selector} from '../types.js'

/**
 * Reorders the first min(`window`, max(3k, 30)) candidates (the rest follow unchanged); lambda = 1 keeps the score
 * order, lambda = 0 maximises spread. Similarity is the cosine of item-tower embeddings.
 */
export function mmr(world: ServingWorld, lambda: number, window = 100): Selector {
  return {
    id: 'Mmr',
    apply(query, candidates) {
      // only the head is shown: diversify the first max(3k, 30); at 60 x 60 x 32 that is ~58k multiply-adds
      const n = Math.min(candidates.length, window, Math.max(3 * query.k, 30))
      const dim = world.dim
      // the pool's vectors side by side [n, dim] and its scores: the inner loops then read contiguous memory
      const vectors = new Float32Array(n * dim)
      const scores = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        vectors.set(world.itemVectors.subarray(candidates[i].row * dim, (candidates[i].row + 1) * dim), i * dim)
        scores[i] = candidates[i].score
      }
      const maxSim = new Float64Array(n).fill(-Infinity)
      const taken = new Uint8Array(n)
      const out: Candidate[] = []
      for (let step = 0; step < n; step++) {
        let best = -1
        let bestValue = -Infinity
        for (let i = 0; i < n; i++) {
          if (taken[i]) continue
          const value = lambda * scores[i] - (1 - lambda) * (step === 0 ? 0 : maxSim[i])
          if (value > bestValue) {
            bestValue = value
            best = i
          }
        }
        taken[best] = 1
        out.push(candidates[best])
        const b = best * dim
        for (let i = 0; i < n; i++) {
          if (taken[i]) continue
          const dot = dotAt(vectors, b, i * dim, dim)
          if (dot > maxSim[i]) maxSim[i] = dot
        }
      }
      for (let i = n; i < candidates.length; i++) out.push(candidates[i])
      return out
    },
  }
}

/**
 * Four partial sums: one running sum makes each dot a chain of 32 dependent adds (~3x slower); the
 * last bits may differ from a plain loop, which only matters for exact ties between distinct vectors.
 */
function dotAt(vectors: Float32Array, a: number, b: number, dim: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let j = 0
  for (; j + 3 < dim; j += 4) {
    s0 += vectors[a + j] * vectors[b + j]
    s1 += vectors[a + j + 1] * vectors[b + j + 1]
    s2 += vectors[a + j + 2] * vectors[b + j + 2]
    s3 += vectors[a + j + 3] * vectors[b + j + 3]
  }
  for (; j < dim; j++) s0 += vectors[a + j] * vectors[b + j]
  return s0 + s1 + s2 + s3
}
