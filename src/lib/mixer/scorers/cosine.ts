// Retrieval scorer: cosine of the user vector and each candidate's item-tower embedding.
import type {ServingWorld} from '../world.js'
import type {Scorer} from '../types.js'

export function cosineScorer(world: ServingWorld): Scorer {
  return {
    id: 'RetrievalCosine',
    async apply(query, candidates) {
      const dim = world.dim
      return candidates.map((c) => {
        let dot = 0
        for (let j = 0; j < dim; j++) dot += query.userVector[j] * world.itemVectors[c.row * dim + j]
        return {cosine: dot, final: dot}
      })
    },
  }
}
