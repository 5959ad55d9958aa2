// A first dense layer over ranker input rows, reassociated as user part + cached item part + cross part.
import * as tf from '@tensorflow/tfjs'

import type {CrossStats} from '../../features/cross/cross-stats.js'
import type {DenseLayer} from '../../engine/dense.js'
import type {RankerModel} from './model.js'
import {forEachItemChunk, type InputColumns} from './request-inputs.js'
import {tidyRead} from './tidy-read.js'

/** Rows `rows` of a row-major [*, cols] matrix, as [rows.length, cols]. */
function pickRows(w: Float32Array, cols: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * cols)
  rows.forEach((r, k) => out.set(w.subarray(r * cols, r * cols + cols), k * cols))
  return out
}

export interface SplitLayer {
  /**
   * x W + b [items.length, out] for the rows of one request, from the user column values (one
   * row), the candidates' item rows and their cross features [n, cross columns]. A tensor: call
   * inside tf.tidy.
   */
  apply(user: Float32Array, items: Int32Array, cross: Float32Array): tf.Tensor2D
  dispose(): void
}

/**
 * x W + b = x_user W_user + (x_item W_item + b) + x_cross W_cross. Within a request x_user is one
 * row (~6k multiply-adds in JS), and x_item depends on the item alone, so x_item W_item + b is
 * computed for every item at load ([items, out]: 25 MB for 50k items at out = 128) and gathered
 * by a row copy per candidate (tf.gather of 500 rows of 128 took ~3 ms on wasm, the copy plus
 * upload ~0.3 ms); only the cross part (a few columns) is a product per candidate. The same
 * weights reassociated: results agree with x W + b to float rounding.
 */
export function createSplitLayer(model: RankerModel, stats: CrossStats, columns: InputColumns, layer: DenseLayer, nItems: number): SplitLayer {
  const out = layer.kernel.shape[1]
  const w = layer.kernel.dataSync() as Float32Array
  const wUser = pickRows(w, out, columns.user)
  const itemCache = new Float32Array(nItems * out)
  const wItem = tf.tensor2d(pickRows(w, out, columns.item), [columns.item.length, out])
  forEachItemChunk(model, stats, columns, nItems, (start, values, count) => {
    itemCache.set(tidyRead(() => tf.fused.matMul({a: tf.tensor2d(values, [count, columns.item.length]), b: wItem, bias: layer.bias})), start * out)
  })
  wItem.dispose()
  const nc = columns.cross.length
  const wCross = nc > 0 ? tf.tensor2d(pickRows(w, out, columns.cross), [nc, out]) : undefined
  return {
    apply(user, items, cross) {
      const n = items.length
      const userPre = new Float32Array(out)
      for (let k = 0; k < user.length; k++) {
        const v = user[k]
        for (let j = 0; j < out; j++) userPre[j] += v * wUser[k * out + j]
      }
      // Row copies (memcpy) rather than an element loop adding userPre: ~0.1 ms less for 500 x 128.
      const gathered = new Float32Array(n * out)
      for (let p = 0; p < n; p++) gathered.set(itemCache.subarray(items[p] * out, (items[p] + 1) * out), p * out)
      const userBias = tf.tensor1d(userPre)
      const base = tf.tensor2d(gathered, [n, out])
      // The user part rides as the bias of the cross product: one fused kernel for both.
      return tf.add(base, wCross ? tf.fused.matMul({a: tf.tensor2d(cross, [n, nc]), b: wCross, bias: userBias}) : userBias)
    },
    dispose: () => wCross?.dispose(),
  }
}
