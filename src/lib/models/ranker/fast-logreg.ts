// Request-time forward pass of the logreg ranker: plain JS sums over the assembled inputs (no tfjs call per request).
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {sigmoidRows} from './fused-layers.js'
import {assembleInputs} from './inputs.js'
import type {RankerKernel} from './kernel.js'
import type {RankerModel} from './model.js'

/**
 * logit[p, h] = sum_s emb[p, s, h] + dense[p] . w_h + b_h over the same inputs predictProbabilities
 * reads (assembleInputs), with the head weights copied out of tfjs once: H dense products of a
 * few dozen features per candidate cost less in JS than uploading them to a tensor.
 */
export function createLogregKernel(model: RankerModel, stats: CrossStats): RankerKernel {
  const h = model.heads.length
  const nDense = model.denseNames.length
  const weights = new Float32Array(nDense * h) // [dense, H]
  const bias = new Float32Array(h)
  model.towers.forEach(([layer], k) => {
    const w = layer.kernel.dataSync()
    for (let j = 0; j < nDense; j++) weights[j * h + k] = w[j]
    bias[k] = layer.bias.dataSync()[0]
  })
  const nSlots = model.slots.length
  return {
    score(user, items, ts, retrieval, offsets) {
      const n = items.length
      const input = assembleInputs(model, stats, {users: new Int32Array(n).fill(user), items, ts, retrieval})
      const logits = new Float32Array(n * h)
      for (let p = 0; p < n; p++) {
        for (let k = 0; k < h; k++) {
          let z = bias[k]
          for (let s = 0; s < nSlots; s++) z += input.emb[(p * nSlots + s) * h + k]
          for (let j = 0; j < nDense; j++) z += input.dense[p * nDense + j] * weights[j * h + k]
          logits[p * h + k] = z
        }
      }
      return sigmoidRows(logits, h, offsets)
    },
    dispose() {},
  }
}
