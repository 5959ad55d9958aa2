// Retrieval scorer: cosine of the user vector and each candidate's item-tower embedding.
import type {ServingWorld} from '../world.js'
import type {Scorer} from '../types.js'
import {gatherDots} from '../../kernels/dot.js'
import {candidateRows} from '../candidate-rows.js'

export function cosineScorer(world: ServingWorld): Scorer {
  return {
    id: 'RetrievalCosine',
    async apply(query, candidates) {
      const cosine = gatherDots(query.userVector, world.itemVectors, candidateRows(candidates), world.dim)
      return {cosine, final: cosine}
    },
  }
}
