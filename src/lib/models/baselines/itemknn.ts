// ItemKNN baseline: a user's score for item i sums the similarities of i to the user's history items.
import {RecError} from '../../errors.js'
import type {ScoreProvider} from '../../eval/engine/score-provider.js'
import type {UserHistory} from '../../features/history.js'
import type {ItemNeighbours} from './item-neighbours.js'

/**
 * score(u, i) = sum over the distinct items j of u's history of sim(i, j), counting only pairs where
 * i is among j's top `neighbours` neighbours (a prefix of what `buildItemNeighbours` kept). Items
 * related to no history item score 0 and so fall back to item-row order. Provider index k scores
 * user `userRows[k]`, whose history is read from `history` (user-row CSR).
 */
export function itemKnnScores(table: ItemNeighbours, neighbours: number, userRows: Int32Array, history: UserHistory): ScoreProvider {
  if (!(Number.isInteger(neighbours) && neighbours >= 1 && neighbours <= table.maxNeighbours)) {
    throw new RecError('INVALID_ARGUMENT', `itemKnnScores: neighbours must be an integer in [1, ${table.maxNeighbours}] (got ${neighbours})`)
  }
  const {nItems, offsets, rows, sims} = table
  const stamp = new Int32Array(nItems).fill(-1)
  let call = 0
  return {
    nItems,
    scoreBlock(indices, out) {
      out.fill(0, 0, indices.length * nItems)
      for (let k = 0; k < indices.length; k++) {
        const index = indices[k]
        if (!(index >= 0 && index < userRows.length)) throw new RecError('INVALID_ARGUMENT', `itemKnnScores: user index ${index} is outside [0, ${userRows.length})`)
        const u = userRows[index]
        const base = k * nItems
        // A fresh stamp per scored user so that repeated history items count once.
        const id = call++
        for (let e = history.offsets[u]; e < history.offsets[u + 1]; e++) {
          const j = history.items[e]
          if (j <= 0 || j >= nItems || stamp[j] === id) continue
          stamp[j] = id
          const end = Math.min(offsets[j + 1], offsets[j] + neighbours)
          for (let f = offsets[j]; f < end; f++) out[base + rows[f]] += sims[f]
        }
      }
    },
  }
}
