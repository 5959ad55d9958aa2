// Out-of-network source: the user vector searched against the item index (two-tower ANN).
import type {ItemIndex} from '../../index/item-index.js'
import {similarReason} from '../reasons.js'
import type {ServingWorld} from '../world.js'
import {type Candidate, type CandidateSource, makeCandidate} from '../types.js'

/** `indexToRow[i]` is the vocabulary row of index row i (0 when the index holds an item the model lacks). */
export function outOfNetworkSource(world: ServingWorld, index: ItemIndex, indexToRow: Int32Array): CandidateSource {
  return {
    id: 'OutOfNetwork',
    async apply(query, quota) {
      // over-fetch by the seen count, at most doubling the quota, and drop seen rows afterwards (a per-row
      // JS predicate inside the HNSW search costs ~1.5 ms per query at 100k); fetch twice as many while
      // too few survive. ef rises with the count fetched: the cap keeps a user with 1,000 seen items at
      // ~0.7 ms instead of 3.5 (see HnswIndex.search for the recall cost)
      let wanted = Math.min(index.size, quota + Math.min(query.seen.size, quota))
      let out: Candidate[] = []
      for (;;) {
        out = []
        const found = index.search(query.userVector, wanted)
        for (let r = 0; r < found.rows.length && out.length < quota; r++) {
          const row = indexToRow[found.rows[r]]
          if (row === 0 || query.seen.has(row)) continue
          out.push(makeCandidate(row, 'OutOfNetwork', found.scores[r]))
        }
        if (out.length >= quota || wanted >= index.size) break
        wanted = Math.min(index.size, 2 * wanted)
      }
      return out
    },
    reason: (query, c) => similarReason(world, query.history, query.historyEvents, c.row),
  }
}
