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
      // only the head is shown: diversify the first max(3k, 30) (0.5 ms at 100 x 100 x 32, ~0.2 ms at 60)
      const pool = candidates.slice(0, Math.min(window, Math.max(3 * query.k, 30)))
      const dim = world.dim
      const vectors = world.itemVectors
      const maxSim = new Float64Array(pool.length).fill(-Infinity)
      const taken = new Uint8Array(pool.length)
      const out: Candidate[] = []
      for (let step = 0; step < pool.length; step++) {
        let best = -1
        let bestValue = -Infinity
        for (let i = 0; i < pool.length; i++) {
          if (taken[i]) continue
          const value = lambda * pool[i].score - (1 - lambda) * (step === 0 ? 0 : maxSim[i])
          if (value > bestValue) {
            bestValue = value
            best = i
          }
        }
        taken[best] = 1
        out.push(pool[best])
        const b = pool[best].row * dim
        for (let i = 0; i < pool.length; i++) {
          if (taken[i]) continue
          let dot = 0
          for (let j = 0; j < dim; j++) dot += vectors[b + j] * vectors[pool[i].row * dim + j]
          if (dot > maxSim[i]) maxSim[i] = dot
        }
      }
      return out.concat(candidates.slice(pool.length))
    },
  }
}
