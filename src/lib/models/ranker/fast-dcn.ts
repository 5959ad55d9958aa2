// Request-time forward pass of the dcn ranker: rows assembled from cached parts, then fused tfjs layers.
import * as tf from '@tensorflow/tfjs'

import type {CrossStats} from '../../features/cross/cross-stats.js'
import {createHeadLayers, fusedDense, reluLayers, sigmoidRows} from './fused-layers.js'
import type {RankerKernel} from './kernel.js'
import type {RankerModel} from './model.js'
import {createRequestInputs} from './request-inputs.js'
import {tidyRead} from './tidy-read.js'

/**
 * Cross layers x_{l+1} = x0 * (x_l W_l + b_l) + x_l over x0 = [emb, dense] rows from
 * createRequestInputs (user part once per request, item part cached at load, cross features per
 * candidate), then the bottom MLP and the towers, each layer one fused tfjs kernel. The first
 * cross layer is x0 * (x0 W_0 + b_0 + 1): the residual folded into its bias. The dense products
 * stay in tfjs on purpose: one [500, 110] x [110, 110] product is ~0.35 ms in XNNPACK against
 * ~4.5 ms as a plain-JS loop (4-way unrolled dot products) on the same machine. Splitting the first
 * cross layer into user, cached item and cross parts (as the mlp kernel does) measured 3% faster
 * (1.54 against 1.58 ms CPU a request) for one more [items, 110] cache: not worth it.
 * Also serves an mlp without hidden layers (no cross layers: rows straight into the towers).
 */
export function createDcnKernel(model: RankerModel, stats: CrossStats, nItems: number): RankerKernel {
  const requestInputs = createRequestInputs(model, stats, nItems)
  const stride = requestInputs.columns.width + model.denseNames.length
  const [first, ...rest] = model.crossNet
  const firstBias = first ? (tf.tidy(() => tf.add(first.bias, 1)) as tf.Tensor1D) : undefined
  const heads = createHeadLayers(model)
  return {
    score(user, items, ts, retrieval, offsets) {
      const n = items.length
      const rows = requestInputs.assemble(user, items, ts, retrieval)
      const logits = tidyRead(() => {
        const x0 = tf.tensor2d(rows, [n, stride])
        let x = first ? (tf.mul(x0, fusedDense(x0, first.kernel, firstBias!, 'linear')) as tf.Tensor2D) : x0
        for (const layer of rest) x = tf.add(tf.mul(x0, fusedDense(x, layer.kernel, layer.bias, 'linear')), x)
        return heads.logits(reluLayers(x, model.bottom))
      })
      return sigmoidRows(logits, model.heads.length, offsets)
    },
    dispose() {
      heads.dispose()
      firstBias?.dispose()
    },
  }
}
