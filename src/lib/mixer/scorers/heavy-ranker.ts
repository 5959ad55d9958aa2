// Heavy-ranker scorer: the ranking model's head probabilities fused by its weights, fed the retrieval cosine.
import type {RankingScorer} from '../../models/ranker/scorer.js'
import type {ServingWorld} from '../world.js'
import type {Scorer} from '../types.js'
import {candidateRows, dotRows} from './dot-rows.js'

export function heavyRankerScorer(world: ServingWorld, ranker: RankingScorer): Scorer {
  return {
    id: 'HeavyRanker',
    async apply(query, candidates) {
      const retrieval = new Float32Array(dotRows(query.userVector, world.itemVectors, candidateRows(candidates), world.dim))
      const itemIds = new BigInt64Array(candidates.length)
      for (let i = 0; i < candidates.length; i++) itemIds[i] = candidates[i].itemId
      const result = ranker.scoreIds({userId: query.userId, itemIds, ts: query.now, retrieval})
      const heads = ranker.heads.length
      return candidates.map((_, i) => {
        const scores: Record<string, number> = {cosine: retrieval[i], final: result.fused[i]}
        for (let h = 0; h < heads; h++) scores[ranker.heads[h]] = result.probabilities[i * heads + h]
        return scores
      })
    },
  }
}
