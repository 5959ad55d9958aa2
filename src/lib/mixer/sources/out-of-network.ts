// Out-of-network source: the user vector searched against the item index (two-tower ANN).
import type {ItemIndex} from '../../index/item-index.js'
import {similarReason} from '../reasons.js'
import type {ServingWorld} from '../world.js'
import {type CandidateSource, makeCandidate} from '../types.js'

/** `indexToRow[i]` is the vocabulary row of index row i (0 when the index holds an item the model lacks). */
export function outOfNetworkSource(world: ServingWorld, index: ItemIndex, indexToRow: Int32Array): CandidateSource {
  return {
    id: 'OutOfNetwork',
    async apply(query, quota) {
      const found = index.search(query.userVector, quota, (i) => indexToRow[i] === 0 || query.seen.has(indexToRow[i]))
      return Array.from(found.rows, (i, r) => {
        const row = indexToRow[i]
        return makeCandidate(row, world.items.id(row)!, 'OutOfNetwork', found.scores[r], similarReason(world, query.history, row))
      })
    },
  }
}
