// Random baseline: seeded uniform scores per (user, item), the chance level every model must clear.
import {RecError} from '../../errors.js'
import type {ScoreProvider} from '../../eval/engine/score-provider.js'
import {Rng} from '../../random/rng.js'

/**
 * Provider index j scores user `userRows[j]`: item i gets the i-th draw of that user's own stream,
 * seeded from (seed, user row), so a user's scores do not depend on which block it is ranked in
 * nor on the other users evaluated. Scores are uniform in [0, 1); ties fall to the smaller item row.
 */
export function randomScores(nItems: number, userRows: Int32Array, seed: number): ScoreProvider {
  if (!(Number.isInteger(nItems) && nItems > 0)) throw new RecError('INVALID_ARGUMENT', `randomScores: nItems must be a positive integer (got ${nItems})`)
  if (!Number.isInteger(seed)) throw new RecError('INVALID_ARGUMENT', `randomScores: seed must be an integer (got ${seed})`)
  return {
    nItems,
    scoreBlock(indices, out) {
      for (let j = 0; j < indices.length; j++) {
        const index = indices[j]
        if (!(index >= 0 && index < userRows.length)) throw new RecError('INVALID_ARGUMENT', `randomScores: user index ${index} is outside [0, ${userRows.length})`)
        const rng = new Rng((Math.imul(userRows[index] + 1, 0x9e3779b1) ^ seed) >>> 0)
        const base = j * nItems
        for (let i = 0; i < nItems; i++) out[base + i] = rng.next()
      }
    },
  }
}
