// Batches of ranking examples: pairs, float labels and weights, plus the retrieval score when the model reads it.
import type {RankingExamples} from './examples.js'
import type {RankingBatch} from './ranking-step.js'
import type {RetrievalFeature} from './retrieval-feature.js'

/** Examples rows[start, start + size) as one batch. */
export function makeRankingBatch(examples: RankingExamples, rows: ArrayLike<number>, start: number, size: number, retrieval?: RetrievalFeature): RankingBatch {
  const end = Math.min(rows.length, start + size)
  const b = end - start
  const h = examples.heads.length
  const batch: RankingBatch = {
    users: new Int32Array(b),
    items: new Int32Array(b),
    ts: new Float64Array(b),
    labels: new Float32Array(b * h),
    weights: new Float32Array(b),
  }
  const ts = batch.ts as Float64Array
  for (let j = 0; j < b; j++) {
    const r = rows[start + j]
    batch.users[j] = examples.user[r]
    batch.items[j] = examples.item[r]
    ts[j] = examples.ts[r]
    batch.weights[j] = examples.weight[r]
    for (let k = 0; k < h; k++) batch.labels[j * h + k] = examples.labels[r * h + k]
  }
  if (retrieval) batch.retrieval = retrieval.scores(batch.users, batch.items, ts)
  return batch
}
