// Request-time forward pass of the dlrm ranker: MLPs as fused tfjs layers, pairwise dot products in JS.
import * as tf from '@tensorflow/tfjs'

import type {CrossStats} from '../../features/cross/cross-stats.js'
import {createHeadLayers, fusedDense, reluLayers, sigmoidRows} from './fused-layers.js'
import type {RankerKernel} from './kernel.js'
import type {RankerModel} from './model.js'
import {createRequestInputs} from './request-inputs.js'
import {tidyRead} from './tidy-read.js'

/**
 * Two tfjs round trips per request: the bottom MLP over the dense columns gives z [n, d]; then JS
 * builds the interaction vector [pairs, z] in the model's order (dot products of the k = S + 1
 * vectors [slot_0 .. slot_{S-1}, z], upper triangle i < j only); then the top MLP and the towers.
 * Dot products among user-side slots (user id, history, user fields) are the same for the whole
 * request and are computed once: with 6 slots, 18 of the 21 pairs (x 16 multiply-adds) remain per
 * candidate. Replaces the training graph's transposes and [B * d, k] x [k, P] selector products,
 * which exist only so that autodiff works without a gather gradient.
 */
export function createDlrmKernel(model: RankerModel, stats: CrossStats, nItems: number): RankerKernel {
  const requestInputs = createRequestInputs(model, stats, nItems)
  const d = model.dim
  const s = model.slots.length
  const width = s * d
  const nd = model.denseNames.length
  const stride = width + nd
  // forward.ts adds z as the last vector when there are dense features (the bottom MLP then has layers).
  const withBottom = nd > 0 && model.bottom.length > 0
  const k = s + (withBottom ? 1 : 0)
  const pairs = (k * (k - 1)) / 2
  const interWidth = pairs + (withBottom ? d : 0)
  const [bottomLast, ...bottomHidden] = [...model.bottom].reverse()
  bottomHidden.reverse()
  // Pair q = (i, j), i < j, row-major as in forward.ts: offsets of its vectors in [slots..., z].
  const pairA = new Int32Array(pairs)
  const pairB = new Int32Array(pairs)
  const userPairs: number[] = []
  const perCandidate: number[] = []
  const userSide = (v: number) => v < s && model.slots[v].side !== 'item'
  for (let i = 0, q = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++, q++) {
      pairA[q] = i * d
      pairB[q] = j * d
      ;(userSide(i) && userSide(j) ? userPairs : perCandidate).push(q)
    }
  }
  const candidatePairs = Int32Array.from(perCandidate)
  const heads = createHeadLayers(model)
  return {
    score(user, items, ts, retrieval, offsets) {
      const n = items.length
      const rows = requestInputs.assemble(user, items, ts, retrieval)
      let z: Float32Array = new Float32Array(0)
      if (withBottom) {
        const dense = new Float32Array(n * nd)
        for (let p = 0; p < n; p++) for (let j = 0; j < nd; j++) dense[p * nd + j] = rows[p * stride + width + j]
        // Hidden layers ReLU, output linear (a vector in embedding space) [n, d].
        z = tidyRead(() => fusedDense(reluLayers(tf.tensor2d(dense, [n, nd]), bottomHidden), bottomLast.kernel, bottomLast.bias, 'linear'))
      }
      const inter = new Float32Array(n * interWidth)
      // Pairs of two user-side slots: one value for the whole request.
      const fixed = new Float32Array(pairs)
      for (const q of userPairs) {
        let dot = 0
        for (let c = 0; c < d; c++) dot += rows[pairA[q] + c] * rows[pairB[q] + c]
        fixed[q] = dot
      }
      // Candidate by candidate, so that its row (and z) stay in L1 across its pairs; only the second
      // vector of a pair can be z (the last vector).
      for (let p = 0; p < n; p++) {
        const o = p * interWidth
        const base = p * stride
        inter.set(fixed, o)
        for (let t = 0; t < candidatePairs.length; t++) {
          const q = candidatePairs[t]
          const a = base + pairA[q]
          const second = pairB[q] < width ? rows : z
          const b = pairB[q] < width ? base + pairB[q] : p * d
          let dot = 0
          for (let c = 0; c < d; c++) dot += rows[a + c] * second[b + c]
          inter[o + q] = dot
        }
        for (let c = 0; c < interWidth - pairs; c++) inter[o + pairs + c] = z[p * d + c]
      }
      const logits = tidyRead(() => heads.logits(reluLayers(tf.tensor2d(inter, [n, interWidth]), model.top)))
      return sigmoidRows(logits, model.heads.length, offsets)
    },
    dispose: () => heads.dispose(),
  }
}
