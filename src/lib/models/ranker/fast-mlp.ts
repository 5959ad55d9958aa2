// Request-time forward pass of the mlp ranker: the first layer split into user, item and cross parts.
import * as tf from '@tensorflow/tfjs'

import {computeCrossFeatures} from '../../features/cross/cross-features.js'
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {standardizeColumns} from '../../features/cross/standardize.js'
import {dense} from '../../engine/dense.js'
import {fuseTowersOnce, towerLogits} from './forward.js'
import type {RankerModel, Slot} from './model.js'
import {tidyRead} from './tidy-read.js'

/** Items whose first-layer part is computed per tfjs call while building the cache. */
const CHUNK = 4096

export interface MlpKernel {
  /** Probabilities [items.length, heads] of one user's candidates at time ts. */
  score(user: number, items: Int32Array, ts: number, retrieval: Float32Array | undefined): Float32Array
  dispose(): void
}

/**
 * The first layer of an mlp ranker is W1' [user part; item part; cross part] + b1. Within a request
 * the user part is one row, and the item part depends on the item alone, so it is computed once
 * for every item at load ([items, h1], 25 MB for 50k items at h1 = 128) and gathered per request;
 * only the cross part (a few columns) is multiplied per candidate. The same weights as the training
 * forward pass (rankerLogits), just reassociated: results agree to float rounding.
 */
export function createMlpKernel(model: RankerModel, stats: CrossStats, nItems: number): MlpKernel {
  const d = model.dim
  const s = model.slots.length
  const nu = model.userFeatures.numeric.names.length
  const ni = model.itemFeatures.numeric.names.length
  const nc = model.cross.names.length
  const [first, ...rest] = model.bottom
  const h1 = first.kernel.shape[1]
  const w1 = first.kernel.dataSync() as Float32Array
  const slotRows = (side: Slot['side']) => model.slots.flatMap((slot, k) => (slot.side === side ? Array.from({length: d}, (_, j) => k * d + j) : []))
  const userRows = [...slotRows('user'), ...Array.from({length: nu}, (_, j) => s * d + j)]
  const itemRows = [...slotRows('item'), ...Array.from({length: ni}, (_, j) => s * d + nu + j)]
  const crossRows = Array.from({length: nc}, (_, j) => s * d + nu + ni + j)
  const pick = (rows: number[]) => {
    const out = new Float32Array(rows.length * h1)
    rows.forEach((r, k) => out.set(w1.subarray(r * h1, r * h1 + h1), k * h1))
    return tf.tensor2d(out, [rows.length, h1])
  }
  const wUser = pick(userRows)
  const wItem = pick(itemRows)
  const itemSlots = model.slots.filter((slot) => slot.side === 'item')
  const userSlots = model.slots.filter((slot) => slot.side === 'user')
  // [nItems, h1] item part with the bias folded in, kept in JS: tf.gather on wasm took ~30 ms for 500 rows.
  const itemCache = new Float32Array(nItems * h1)
  for (let start = 0; start < nItems; start += CHUNK) {
    const rows = Int32Array.from({length: Math.min(CHUNK, nItems - start)}, (_, i) => start + i)
    const x = entityInputs(itemSlots, model.itemFeatures.numeric.values, ni, rows, d)
    itemCache.set(tidyRead(() => tf.add(tf.matMul(tf.tensor2d(x, [rows.length, itemRows.length]), wItem), first.bias)), start * h1)
  }
  const wCross = nc > 0 ? pick(crossRows) : undefined
  tf.dispose(wItem)
  const towers = fuseTowersOnce(model)
  return {
    score(user, items, ts, retrieval) {
      const n = items.length
      const userX = entityInputs(userSlots, model.userFeatures.numeric.values, nu, Int32Array.of(user), d)
      const cross = new Float32Array(n * nc)
      if (nc > 0) {
        computeCrossFeatures(stats, model.cross.names, {users: new Int32Array(n).fill(user), items, ts, retrieval}, cross)
        standardizeColumns(cross, n, nc, 0, model.cross)
      }
      // Item parts gathered in JS (a row copy each); user and cross parts added in tfjs: one [n, nc] x [nc, h1] product.
      const gathered = new Float32Array(n * h1)
      for (let p = 0; p < n; p++) gathered.set(itemCache.subarray(items[p] * h1, items[p] * h1 + h1), p * h1)
      return tidyRead(() => {
        let pre = tf.add(tf.tensor2d(gathered, [n, h1]), tf.matMul(tf.tensor2d(userX, [1, userRows.length]), wUser))
        if (wCross) pre = tf.add(pre, tf.matMul(tf.tensor2d(cross, [n, nc]), wCross))
        const h = rest.reduce((x, layer) => dense(x, layer, 'relu'), tf.relu(pre) as tf.Tensor2D)
        return tf.sigmoid(towerLogits(h, towers))
      })
    },
    dispose() {
      tf.dispose([wUser, ...(wCross ? [wCross] : []), towers.first, towers.firstBias, ...(towers.out ? [towers.out, towers.outBias!] : [])])
    },
  }
}

/** [rows, slots * d + numeric] for one side: id rows or field bags, then its standardised numeric columns. */
function entityInputs(slots: Slot[], numeric: Float32Array, nNumeric: number, rows: Int32Array, d: number): Float32Array {
  const width = slots.length * d + nNumeric
  const out = new Float32Array(rows.length * width)
  for (let b = 0; b < rows.length; b++) {
    const r = rows[b]
    slots.forEach((slot, k) => {
      const o = b * width + k * d
      const w = slot.table.weights
      if (!slot.field) {
        out.set(w.subarray(r * d, r * d + d), o)
        return
      }
      const {offsets, rows: bag, weights} = slot.field
      for (let q = offsets[r]; q < offsets[r + 1]; q++) for (let j = 0; j < d; j++) out[o + j] += weights[q] * w[bag[q] * d + j]
    })
    for (let j = 0; j < nNumeric; j++) out[b * width + slots.length * d + j] = numeric[r * nNumeric + j]
  }
  return out
}
