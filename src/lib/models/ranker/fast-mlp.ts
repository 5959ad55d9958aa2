// Request-time forward pass of the mlp ranker: the first layer split into user, item and cross parts.
import * as tf from '@tensorflow/tfjs'

import {dense} from '../../engine/dense.js'
import {computeCrossFeatures} from '../../features/cross/cross-features.js'
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {standardizeColumns} from '../../features/cross/standardize.js'
import {fuseTowersOnce, towerLogits} from './forward.js'
import {assembleInputs, type RankerInput} from './inputs.js'
import type {RankerModel} from './model.js'
import {tidyRead} from './tidy-read.js'

/** Items whose first-layer part is computed per tfjs call while building the cache. */
const CHUNK = 4096

export interface MlpKernel {
  /** Probabilities [items.length, heads] of one user's candidates at time ts. */
  score(user: number, items: Int32Array, ts: number, retrieval: Float32Array | undefined, offsets?: Float32Array): Float32Array
  dispose(): void
}

/** Columns `columns` of the assembled input rows (embedding columns first, then dense), as [n, columns.length]. */
function pickColumns(input: RankerInput, width: number, columns: number[]): Float32Array {
  const nd = input.dense.length / Math.max(input.n, 1)
  const out = new Float32Array(input.n * columns.length)
  for (let p = 0; p < input.n; p++) {
    columns.forEach((c, k) => (out[p * columns.length + k] = c < width ? input.emb[p * width + c] : input.dense[p * nd + c - width]))
  }
  return out
}

/**
 * The first layer of an mlp ranker is W1' [user part; item part; cross part] + b1. Within a request
 * the user part (user slots, the history slot, user numeric) is one row, and the item part depends
 * on the item alone, so it is computed once for every item at load ([items, h1], 25 MB for 50k
 * items at h1 = 128) and gathered per request; only the cross part (a few columns) is multiplied
 * per candidate. Inputs come from assembleInputs, as in training; the weights are the same, just
 * reassociated, so results agree with rankerLogits to float rounding.
 */
export function createMlpKernel(model: RankerModel, stats: CrossStats, nItems: number): MlpKernel {
  const d = model.dim
  const width = model.slots.length * d
  const nu = model.userFeatures.numeric.names.length
  const ni = model.itemFeatures.numeric.names.length
  const nc = model.cross.names.length
  const [first, ...rest] = model.bottom
  const h1 = first.kernel.shape[1]
  const w1 = first.kernel.dataSync() as Float32Array
  const slotColumns = (item: boolean) => model.slots.flatMap((slot, k) => ((slot.side === 'item') === item ? Array.from({length: d}, (_, j) => k * d + j) : []))
  const userColumns = [...slotColumns(false), ...Array.from({length: nu}, (_, j) => width + j)]
  const itemColumns = [...slotColumns(true), ...Array.from({length: ni}, (_, j) => width + nu + j)]
  const crossColumns = Array.from({length: nc}, (_, j) => width + nu + ni + j)
  const weightRows = (columns: number[]) => {
    const out = new Float32Array(columns.length * h1)
    columns.forEach((r, k) => out.set(w1.subarray(r * h1, r * h1 + h1), k * h1))
    return tf.tensor2d(out, [columns.length, h1])
  }
  const wUser = weightRows(userColumns)
  const wItem = weightRows(itemColumns)
  // [nItems, h1] item part with the bias folded in, kept in JS: for 500 rows of 128, tf.gather on wasm
  // took ~3 ms here, a JS row copy plus upload ~0.3 ms.
  const itemCache = new Float32Array(nItems * h1)
  for (let start = 0; start < nItems; start += CHUNK) {
    const items = Int32Array.from({length: Math.min(CHUNK, nItems - start)}, (_, i) => start + i)
    const input = assembleInputs(model, stats, {users: new Int32Array(items.length), items, ts: 0, retrieval: new Float32Array(items.length)})
    const x = pickColumns(input, width, itemColumns)
    itemCache.set(tidyRead(() => tf.add(tf.matMul(tf.tensor2d(x, [items.length, itemColumns.length]), wItem), first.bias)), start * h1)
  }
  const wCross = nc > 0 ? weightRows(crossColumns) : undefined
  tf.dispose(wItem)
  const towers = fuseTowersOnce(model)
  return {
    score(user, items, ts, retrieval, offsets) {
      const n = items.length
      // The shared input code on one pair gives the user part; the cross features are computed for every candidate.
      const userX = pickColumns(assembleInputs(model, stats, {users: Int32Array.of(user), items: items.subarray(0, 1), ts, retrieval: retrieval?.subarray(0, 1)}), width, userColumns)
      const cross = new Float32Array(n * nc)
      if (nc > 0) {
        computeCrossFeatures(stats, model.cross.names, {users: new Int32Array(n).fill(user), items, ts, retrieval}, cross)
        standardizeColumns(cross, n, nc, 0, model.cross)
      }
      // Item parts gathered in JS (a row copy each); user and cross parts added in tfjs: one [n, nc] x [nc, h1] product.
      const gathered = new Float32Array(n * h1)
      for (let p = 0; p < n; p++) gathered.set(itemCache.subarray(items[p] * h1, items[p] * h1 + h1), p * h1)
      return tidyRead(() => {
        let pre = tf.add(tf.tensor2d(gathered, [n, h1]), tf.matMul(tf.tensor2d(userX, [1, userColumns.length]), wUser))
        if (wCross) pre = tf.add(pre, tf.matMul(tf.tensor2d(cross, [n, nc]), wCross))
        const h = rest.reduce((x, layer) => dense(x, layer, 'relu'), tf.relu(pre) as tf.Tensor2D)
        const logits = towerLogits(h, towers)
        return tf.sigmoid(offsets ? tf.add(logits, tf.tensor2d(offsets, [n, 1])) : logits)
      })
    },
    dispose() {
      tf.dispose([wUser, ...(wCross ? [wCross] : []), towers.first, towers.firstBias, ...(towers.out ? [towers.out, towers.outBias!] : [])])
    },
  }
}
