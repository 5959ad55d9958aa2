// Heavy-ranker scorer: the ranking model's head probabilities fused by its weights, fed the retrieval cosine.
import type {RankingScorer} from '../../models/ranker/scorer.js'
import type {ServingWorld} from '../world.js'
import type {ScoreColumns, Scorer} from '../types.js'
import {candidateRows, dotRows} from './dot-rows.js'

export function heavyRankerScorer(world: ServingWorld, ranker: RankingScorer): Scorer {
  return {
    id: 'HeavyRanker',
    async apply(query, candidates) {
      const n = candidates.length
      const retrieval = new Float32Array(dotRows(query.userVector, world.itemVectors, candidateRows(candidates), world.dim))
      const itemIds = new BigInt64Array(n)
      for (let i = 0; i < n; i++) itemIds[i] = world.items.id(candidates[i].row) ?? -1n
      const result = ranker.scoreIds({userId: query.userId, itemIds, ts: query.now, retrieval})
      const columns: ScoreColumns = {cosine: retrieval, final: result.fused}
      // probabilities are [n, heads] row-major: one column per head
      ranker.heads.forEach((head, h) => {
        const column = new Float32Array(n)
        for (let i = 0; i < n; i++) column[i] = result.probabilities[i * ranker.heads.length + h]
        columns[head] = column
      })
      return columns
    },
  }
}
