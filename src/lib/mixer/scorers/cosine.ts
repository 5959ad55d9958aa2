// Retrieval scorer: cosine of the user vector and each candidate's item-tower embedding.
import type {ServingWorld} from '../world.js'
import type {Scorer} from '../types.js'
import {candidateRows, dotRows} from './dot-rows.js'

export function cosineScorer(world: ServingWorld): Scorer {
  return {
    id: 'RetrievalCosine',
    async apply(query, candidates) {
      const cosine = dotRows(query.userVector, world.itemVectors, candidateRows(candidates), world.dim)
      return {cosine, final: cosine}
    },
  }
}
