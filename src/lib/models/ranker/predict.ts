// Batched inference in tfjs: per-head probabilities [n, H] for many pairs (validation, evaluation).
import * as tf from '@tensorflow/tfjs'

import type {CrossStats} from '../../features/cross/cross-stats.js'
import {rankerLogits} from './forward.js'
import {assembleInputs, type RankerPairs} from './inputs.js'
import type {RankerModel} from './model.js'
import {tidyRead} from './tidy-read.js'

const BATCH = 4096

/**
 * sigmoid(logits + offsets) for every pair, row-major [n, heads]; no gradient, no tensors left
 * behind. `offsets`: one logit offset per pair (the sampling correction).
 */
export function predictProbabilities(model: RankerModel, stats: CrossStats, pairs: RankerPairs, offsets?: Float32Array): Float32Array {
  const n = pairs.items.length
  const h = model.heads.length
  const out = new Float32Array(n * h)
  for (let start = 0; start < n; start += BATCH) {
    const end = Math.min(n, start + BATCH)
    const part: RankerPairs = {
      users: pairs.users.subarray(start, end),
      items: pairs.items.subarray(start, end),
      ts: typeof pairs.ts === 'number' ? pairs.ts : pairs.ts.subarray(start, end),
      retrieval: pairs.retrieval?.subarray(start, end),
    }
    const input = assembleInputs(model, stats, part)
    const b = end - start
    const values = tidyRead(() => {
      const features = model.denseNames.length > 0 ? tf.tensor2d(input.dense, [b, model.denseNames.length]) : undefined
      const logits = rankerLogits(model, tf.tensor2d(input.emb, [b, model.slots.length * model.dim]), features)
      return tf.sigmoid(offsets ? tf.add(logits, tf.tensor2d(offsets.subarray(start, end), [b, 1])) : logits)
    })
    out.set(values, start * h)
  }
  return out
}

/** fused[p] = sum_h fusion[h] * probabilities[p, h]. */
export function fuseScores(probabilities: Float32Array, fusion: Float32Array): Float32Array {
  const h = fusion.length
  const n = probabilities.length / h
  const out = new Float32Array(n)
  for (let p = 0; p < n; p++) {
    let s = 0
    for (let k = 0; k < h; k++) s += fusion[k] * probabilities[p * h + k]
    out[p] = s
  }
  return out
}
