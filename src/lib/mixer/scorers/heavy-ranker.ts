// Heavy-ranker scorer: the ranking model's head probabilities fused by its weights, fed the retrieval cosine.
import type {IdVocab} from '../../features/vocab.js'
import type {RankingScorer} from '../../models/ranker/scorer.js'
import type {ServingWorld} from '../world.js'
import type {ScoreColumns, Scorer} from '../types.js'
import {gatherDots} from '../../kernels/dot.js'
import {candidateRows} from '../candidate-rows.js'

/** The ranker's item row of every retrieval row (0 = the ranker's out-of-vocabulary row). */
export function rankerItemRows(world: ServingWorld, rankerItems: IdVocab): Int32Array {
  const out = new Int32Array(world.items.size)
  for (let row = 1; row < out.length; row++) out[row] = rankerItems.row(world.items.id(row)!)
  return out
}

/** `rankerRow` maps retrieval rows to the ranker's (rankerItemRows); `users` is the ranker's user vocabulary. */
export function heavyRankerScorer(world: ServingWorld, ranker: RankingScorer, users: IdVocab, rankerRow: Int32Array): Scorer {
  return {
    id: 'HeavyRanker',
    async apply(query, candidates) {
      const n = candidates.length
      const rows = candidateRows(candidates)
      const retrieval = new Float32Array(gatherDots(query.userVector, world.itemVectors, rows, world.dim))
      const items = new Int32Array(n)
      for (let i = 0; i < n; i++) items[i] = rankerRow[rows[i]]
      const result = ranker.score({user: users.row(query.userId), items, ts: query.now, retrieval})
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
