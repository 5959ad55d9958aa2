// Heavy-ranker scorer: the ranking model's head probabilities fused by its weights, fed the retrieval cosine.
import type {RankingScorer} from '../../models/ranker/scorer.js'
import type {ServingWorld} from '../world.js'
import type {Scorer} from '../types.js'

export function heavyRankerScorer(world: ServingWorld, ranker: RankingScorer): Scorer {
  return {
    id: 'HeavyRanker',
    async apply(query, candidates) {
      const dim = world.dim
      const retrieval = Float32Array.from(candidates, (c) => {
        let dot = 0
        for (let j = 0; j < dim; j++) dot += query.userVector[j] * world.itemVectors[c.row * dim + j]
        return dot
      })
      const itemIds = BigInt64Array.from(candidates, (c) => c.itemId)
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
