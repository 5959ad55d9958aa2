// Inference: user and item embeddings in batches, with no gradient, as Float32Array [n, dim].
import * as tf from '@tensorflow/tfjs'

import {PAD} from '../../engine/mean-pool.js'
import {historyEnds, rightAlignedWindows, type UserHistory} from '../../features/history.js'
import {itemTower, prepareItems, prepareUsers, type TwoTowerModel, userTower} from './model.js'

const BATCH = 2048

function optionalTensor(values: Float32Array, rows: number): tf.Tensor2D | undefined {
  return values.length > 0 ? tf.tensor2d(values, [rows, values.length / rows]) : undefined
}

/** Item-tower embeddings of `rows` (default: every vocabulary row, OOV row 0 included). */
export function embedItems(model: TwoTowerModel, rows: Int32Array = Int32Array.from({length: model.items.rows}, (_, i) => i)): Float32Array {
  const out = new Float32Array(rows.length * model.dim)
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.subarray(start, start + BATCH)
    const input = prepareItems(model, batch)
    // Read outside tf.tidy: a typed array returned from tidy is walked element by element (~130 ms per batch).
    const tensor = tf.tidy(() => itemTower(model, tf.tensor2d(input.base, [batch.length, model.dim]), optionalTensor(input.numeric, batch.length)))
    out.set(tensor.dataSync(), start * model.dim)
    tensor.dispose()
  }
  return out
}

/** User-tower embeddings from [rows.length, L] right-aligned history windows. */
export function embedUsersFromWindows(model: TwoTowerModel, rows: Int32Array, windows: Int32Array): Float32Array {
  const length = windows.length / Math.max(rows.length, 1)
  const out = new Float32Array(rows.length * model.dim)
  for (let start = 0; start < rows.length; start += BATCH) {
    const end = Math.min(rows.length, start + BATCH)
    const input = prepareUsers(model, rows.subarray(start, end), windows.subarray(start * length, end * length))
    const n = end - start
    const tensor = tf.tidy(() => {
      const history = input.encoded.parts.map((p) => tf.tensor(p.values, p.shape))
      const constants = input.encoded.constants.map((c) => tf.tensor(c.values, c.shape))
      return userTower(model, tf.tensor2d(input.base, [n, model.dim]), history, constants, optionalTensor(input.numeric, n))
    })
    out.set(tensor.dataSync(), start * model.dim)
    tensor.dispose()
  }
  return out
}

/** User embeddings reading each user's whole `history` (its last L items). */
export function embedUsers(model: TwoTowerModel, rows: Int32Array, history: UserHistory): Float32Array {
  const length = Math.max(model.config['history-length'], 1)
  const windows = model.config['history-length'] > 0 ? rightAlignedWindows(history, rows, historyEnds(history, rows), length, PAD) : new Int32Array(rows.length).fill(PAD)
  return embedUsersFromWindows(model, rows, windows)
}
