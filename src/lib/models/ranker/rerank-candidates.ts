// Re-ranking's shared pieces: each user's request time, the retrieval candidates that exist then, and their order by the ranker.
import {type ColumnTable, getColumn} from '../../dataset/columns.js'
import type {IdVocab} from '../../features/vocab.js'
import type {LoadedRanker} from './load.js'
import type {RankingScorer} from './scorer.js'

/** Per user row of `users`, the time (ms) of their first interaction in `split`; Infinity without one. */
export function requestTimes(interactions: ColumnTable, users: IdVocab, split: 'val' | 'test'): Float64Array {
  const rows = users.rows(getColumn(interactions, 'user_id', 'int64').values)
  const ts = getColumn(interactions, 'ts', 'timestamp_ms').values
  const splits = getColumn(interactions, 'split', 'dict')
  const code = splits.dictionary.indexOf(split)
  const out = new Float64Array(users.size).fill(Infinity)
  for (let i = 0; i < rows.length; i++) if (splits.codes[i] === code && ts[i] < out[rows[i]]) out[rows[i]] = ts[i]
  return out
}

/**
 * The first `depth` items of each ranked list ([lists, listK], -1 padded) that exist at that list's
 * request time, -1 padded to [lists, depth]: what an index holding only published items returns.
 * `createdAt(item)` is NaN for an item without a creation time, which always exists.
 */
export function selectCandidates(ranked: {lists: Int32Array; listK: number}, depth: number, requestTime: (list: number) => number, createdAt?: (item: number) => number): Int32Array {
  const {lists, listK} = ranked
  const n = lists.length / listK
  const out = new Int32Array(n * depth).fill(-1)
  for (let i = 0; i < n; i++) {
    const t = requestTime(i)
    let k = 0
    for (let j = 0; j < listK && k < depth; j++) {
      const item = lists[i * listK + j]
      // NaN > t is false: an item of unknown age stays.
      if (item < 0 || (createdAt && createdAt(item) > t)) continue
      out[i * depth + k++] = item
    }
  }
  return out
}

/** Item rows (-1 = none) by descending score, ties to the smaller item row as full ranking breaks them; the -1 entries go last. */
export function orderByScore(items: Int32Array, scores: Float32Array): Int32Array {
  const order = Array.from(items.keys()).filter((k) => items[k] >= 0)
  order.sort((a, b) => scores[b] - scores[a] || items[a] - items[b])
  const out = new Int32Array(items.length).fill(-1)
  order.forEach((k, j) => (out[j] = items[k]))
  return out
}

export interface CandidateRequest {
  /** The ranker's user row. */
  user: number
  /** The ranker's item rows, none of them -1. */
  items: Int32Array
  /** Request time (ms): the ranker's cross features read only what happened before it. */
  ts: number
  /** The retrieval score of each candidate, when the ranker reads one. */
  retrieval?: Float32Array
}

/** The ranker's fused score of candidates (the evaluation's rows are the ranker's: eval checks the ids match row for row). */
export function fusedCandidateScorer(scorer: RankingScorer): (request: CandidateRequest) => Float32Array {
  return (request) => scorer.score({user: request.user, items: request.items, ts: request.ts, retrieval: scorer.needsRetrievalScore ? request.retrieval : undefined}).fused
}

/** Creation time (ms, NaN when unknown) of the ranker's item rows, or undefined when the catalogue has none. */
export function candidateCreatedAt(loaded: LoadedRanker): ((item: number) => number) | undefined {
  const created = loaded.stats.columns.createdAt
  return created && ((item) => created[item])
}
