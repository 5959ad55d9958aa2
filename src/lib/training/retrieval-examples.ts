// Causal retrieval examples: one per train positive, its history = the user's train positives strictly before it.
import {TRAIN} from '../dataset/schema.js'
import {historyEndBefore, type UserHistory} from '../features/history.js'
import type {Positives} from '../features/positives.js'

export interface RetrievalExamples {
  user: Int32Array
  item: Int32Array
  /** End (exclusive) of the example's history window in `history`. */
  histEnd: Int32Array
  weight: Float32Array
  /** The train history the windows index into. */
  history: UserHistory
}

/** Only train-split positives become examples, and only train positives enter their histories. */
export function buildRetrievalExamples(positives: Positives, trainHistory: UserHistory): RetrievalExamples {
  let n = 0
  for (let i = 0; i < positives.split.length; i++) if (positives.split[i] === TRAIN) n++
  const out: RetrievalExamples = {
    user: new Int32Array(n),
    item: new Int32Array(n),
    histEnd: new Int32Array(n),
    weight: new Float32Array(n),
    history: trainHistory,
  }
  let j = 0
  for (let i = 0; i < positives.split.length; i++) {
    if (positives.split[i] !== TRAIN) continue
    out.user[j] = positives.userRow[i]
    out.item[j] = positives.itemRow[i]
    out.histEnd[j] = historyEndBefore(trainHistory, positives.userRow[i], positives.ts[i])
    out.weight[j] = positives.weight[i]
    j++
  }
  return out
}

/** log of each item's share of train positives (add-one smoothed): the logQ correction of in-batch sampling. */
export function itemLogFrequency(examples: RetrievalExamples, nItems: number): Float32Array {
  const counts = new Float64Array(nItems).fill(1)
  for (let i = 0; i < examples.item.length; i++) counts[examples.item[i]]++
  const total = examples.item.length + nItems
  return Float32Array.from(counts, (c) => Math.log(c / total))
}
