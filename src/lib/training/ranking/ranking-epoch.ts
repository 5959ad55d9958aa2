// One training pass over shuffled ranking examples, with progress, loss and throughput.
import type {DenseAdam} from '../../engine/dense-adam.js'
import {RecError} from '../../errors.js'
import type {CrossStats} from '../../features/cross/cross-stats.js'
import type {RankerModel} from '../../models/ranker/model.js'
import type {Rng} from '../../random/rng.js'
import type {Reporter} from '../../reporter.js'
import type {RankingExamples} from './examples.js'
import {makeRankingBatch} from './ranking-batches.js'
import {rankingStep} from './ranking-step.js'
import type {RetrievalFeature} from './retrieval-feature.js'

export interface EpochOptions {
  batchSize: number
  rng: Rng
  retrieval?: RetrievalFeature
  reporter: Reporter
  label: string
}

/** Weighted mean loss of the pass and examples/s of the steps (batch assembly included). */
export function runRankingEpoch(model: RankerModel, stats: CrossStats, examples: RankingExamples, adam: DenseAdam, options: EpochOptions): {loss: number; examplesPerSecond: number} {
  const n = examples.user.length
  const order = options.rng.shuffle(Int32Array.from({length: n}, (_, i) => i))
  const bar = options.reporter.progress(options.label, Math.ceil(n / options.batchSize))
  let lossSum = 0
  let weightSum = 0
  let ms = 0
  for (let start = 0; start < n; start += options.batchSize) {
    const t0 = performance.now()
    const batch = makeRankingBatch(examples, order, start, options.batchSize, options.retrieval)
    const loss = rankingStep(model, stats, batch, adam)
    ms += performance.now() - t0
    if (!Number.isFinite(loss)) throw new RecError('BAD_DATA', `loss became ${loss} in ${options.label}`, {hint: 'lower --lr'})
    let w = 0
    for (const x of batch.weights) w += x
    lossSum += loss * w
    weightSum += w
    bar.tick(1, {loss: lossSum / weightSum, 'ex/s': Math.round((start + batch.items.length) / (ms / 1000))})
  }
  bar.stop()
  return {loss: lossSum / (weightSum || 1), examplesPerSecond: Math.round(n / (ms / 1000))}
}
