// Most-popular baseline: every user gets items ranked by train popularity (the floor a model must clear).
import type {ScoreProvider} from '../../eval/engine/score-provider.js'

/** Scores item i by `counts[i]` for every user; ties fall to the smaller item row downstream. */
export function popularityScores(counts: ArrayLike<number>): ScoreProvider {
  const scores = Float32Array.from(counts)
  return {
    nItems: scores.length,
    scoreBlock(userRows, out) {
      for (let j = 0; j < userRows.length; j++) out.set(scores, j * scores.length)
    },
  }
}

/** Train-positive counts per item row. */
export function itemCounts(itemRows: Int32Array, nItems: number): Float64Array {
  const counts = new Float64Array(nItems)
  for (let i = 0; i < itemRows.length; i++) counts[itemRows[i]]++
  return counts
}
