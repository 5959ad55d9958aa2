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
      // over-fetch by the seen count and drop afterwards: a per-row JS predicate costs ~1.5 ms per HNSW query at 100k
      const found = index.search(query.userVector, Math.min(index.size, quota + query.seen.size))
      const out = []
      for (let r = 0; r < found.rows.length && out.length < quota; r++) {
        const row = indexToRow[found.rows[r]]
        if (row === 0 || query.seen.has(row)) continue
        out.push(makeCandidate(row, world.items.id(row)!, 'OutOfNetwork', found.scores[r], () => similarReason(world, query.history, row)))
      }
      return out
    },
  }
}
