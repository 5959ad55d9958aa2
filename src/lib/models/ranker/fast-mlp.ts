// Request-time forward pass of the mlp ranker: the first layer split into user, item and cross parts.
import * as tf from '@tensorflow/tfjs'

import type {CrossStats} from '../../features/cross/cross-stats.js'
import {createHeadLayers, reluLayers, sigmoidRows} from './fused-layers.js'
import type {RankerKernel} from './kernel.js'
import type {RankerModel} from './model.js'
import {crossPart, splitColumns, userPart} from './request-inputs.js'
import {createSplitLayer} from './split-layer.js'
import {tidyRead} from './tidy-read.js'

/**
 * The first bottom layer through createSplitLayer (its input rows are never built: only the user
 * values and the cross features are needed), the other layers and the towers as fused tfjs
 * layers. Requires at least one bottom layer.
 */
export function createMlpKernel(model: RankerModel, stats: CrossStats, nItems: number): RankerKernel {
  const columns = splitColumns(model)
  const [first, ...rest] = model.bottom
  const split = createSplitLayer(model, stats, columns, first, nItems)
  const heads = createHeadLayers(model)
  return {
    score(user, items, ts, retrieval, offsets) {
      const u = userPart(model, stats, columns, user, items[0], ts, retrieval?.[0] ?? 0)
      const cross = crossPart(model, stats, user, items, ts, retrieval)
      const logits = tidyRead(() => heads.logits(reluLayers(tf.relu(split.apply(u, items, cross)), rest)))
      return sigmoidRows(logits, model.heads.length, offsets)
    },
    dispose() {
      heads.dispose()
      split.dispose()
    },
  }
}
