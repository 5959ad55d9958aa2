// A ScoreProvider that re-ranks each user's retrieval candidates with the ranker's fused score.
import type {ScoreProvider} from '../../metrics/score-provider.js'

/** Below every fused score: items outside a user's candidates rank after all of them. */
const OUTSIDE = -1e30

export interface CandidateLists {
  /** [users, depth] item rows per user index, -1 where fewer candidates exist. */
  items: Int32Array
  depth: number
}

/**
 * Scores for user index j: `rescore(j, candidates)` (the fused score) on the j-th candidate list,
 * OUTSIDE elsewhere. Rescoring runs when evaluation asks for the user's block, one user at a time,
 * as a serving request would.
 */
export function rerankProvider(nItems: number, candidates: CandidateLists, rescore: (user: number, items: Int32Array) => Float32Array): ScoreProvider {
  return {
    nItems,
    scoreBlock(userRows, out) {
      out.fill(OUTSIDE, 0, userRows.length * nItems)
      for (let j = 0; j < userRows.length; j++) {
        const u = userRows[j]
        const list = candidates.items.subarray(u * candidates.depth, (u + 1) * candidates.depth)
        const items = list.filter((i) => i >= 0)
        const scores = rescore(u, items)
        for (let k = 0; k < items.length; k++) out[j * nItems + items[k]] = scores[k]
      }
    },
  }
}
