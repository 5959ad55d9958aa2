// Start-of-training fits: cross-feature standardisation on a train sample, head biases at the train base rates.
import * as tf from '@tensorflow/tfjs'

import {computeCrossFeatures, crossFeatureNames} from '../../features/cross/cross-features.js'
import {fitStandardizer, type Standardizer} from '../../features/cross/standardize.js'
import type {RankerModel} from '../../models/ranker/model.js'
import type {Rng} from '../../random/rng.js'
import type {RankingExamples} from './examples.js'
import type {RankingData} from './ranking-data.js'
import type {RetrievalFeature} from './retrieval-feature.js'

/** 50k examples pin a mean and a standard deviation to well under 1% of a standard deviation. */
const SAMPLE = 50_000

/** Names and statistics of the cross features, fitted on up to 50k train examples drawn with `rng`. */
export function fitCrossStandardizer(data: RankingData, enabled: boolean, retrieval: RetrievalFeature | undefined, rng: Rng): Standardizer {
  const names = enabled ? crossFeatureNames(data.stats, retrieval !== undefined) : []
  if (names.length === 0) return {names: [], mean: [], std: []}
  const n = data.train.user.length
  const rows = n <= SAMPLE ? Int32Array.from({length: n}, (_, i) => i) : rng.shuffle(Int32Array.from({length: n}, (_, i) => i)).subarray(0, SAMPLE).sort()
  const users = Int32Array.from(rows, (r) => data.train.user[r])
  const items = Int32Array.from(rows, (r) => data.train.item[r])
  const ts = Float64Array.from(rows, (r) => data.train.ts[r])
  const values = new Float32Array(rows.length * names.length)
  computeCrossFeatures(data.stats, names, {users, items, ts, retrieval: retrieval?.scores(users, items, ts)}, values)
  return fitStandardizer(names, values)
}

/**
 * Sets each head's output bias to the logit of its weighted train base rate, so training starts
 * at the base-rate loss instead of spending its first steps finding it (rare heads: ~1%).
 */
export function initHeadBiases(model: RankerModel, train: RankingExamples): void {
  const h = train.heads.length
  const positive = new Float64Array(h)
  let total = 0
  for (let i = 0; i < train.user.length; i++) {
    total += train.weight[i]
    for (let k = 0; k < h; k++) positive[k] += train.weight[i] * train.labels[i * h + k]
  }
  model.towers.forEach((tower, k) => {
    const p = Math.min(1 - 1e-4, Math.max(1e-4, positive[k] / (total || 1)))
    tf.tidy(() => tower.at(-1)!.bias.assign(tf.tensor1d([Math.log(p / (1 - p))])))
  })
}
