// The ranker's inputs for (user, item, time) pairs, assembled in JS; shared by training, evaluation and serving.
import {meanPoolRows, meanPoolRowsBackward, PAD} from '../../engine/mean-pool.js'
import {computeCrossFeatures} from '../../features/cross/cross-features.js'
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {standardizeColumns} from '../../features/cross/standardize.js'
import {historyEndBefore, rightAlignedWindows} from '../../features/history.js'
import {addScaledRow} from '../../kernels/rows.js'
import type {RankerModel} from './model.js'

export interface RankerPairs {
  users: Int32Array
  items: Int32Array
  /** One time per pair, or one for all (a serving request). */
  ts: Float64Array | number
  /** Retrieval scores per pair, required when the model has the retrieval_score feature. */
  retrieval?: Float32Array
}

export interface RankerInput {
  n: number
  /** [n, slots * dim]: slot s of pair p at p * slots * dim + s * dim. */
  emb: Float32Array
  /** [n, denseNames.length]: user numeric, item numeric, standardised cross features. */
  dense: Float32Array
  /** [n, history-length] item rows pooled by the history slot (right-aligned, PAD-filled), when the model has one. */
  windows?: Int32Array
}

/** Each pair's last `length` engaged items strictly before its time. */
function historyWindows(model: RankerModel, stats: CrossStats, pairs: RankerPairs): Int32Array {
  const length = model.config['history-length']
  const ends = Int32Array.from(pairs.users, (u, p) => historyEndBefore(stats.history, u, typeof pairs.ts === 'number' ? pairs.ts : pairs.ts[p]))
  return rightAlignedWindows(stats.history, pairs.users, ends, length, PAD)
}

/** Gathers embedding slots and dense features for every pair. */
export function assembleInputs(model: RankerModel, stats: CrossStats, pairs: RankerPairs): RankerInput {
  const n = pairs.items.length
  const d = model.dim
  const width = model.slots.length * d
  const emb = new Float32Array(n * width)
  let windows: Int32Array | undefined
  model.slots.forEach((slot, s) => {
    const w = slot.table.weights
    if (slot.side === 'history') {
      windows = historyWindows(model, stats, pairs)
      const pooled = meanPoolRows(slot.table, windows, model.config['history-length'])
      for (let p = 0; p < n; p++) emb.set(pooled.subarray(p * d, p * d + d), p * width + s * d)
      return
    }
    const rows = slot.side === 'user' ? pairs.users : pairs.items
    for (let p = 0; p < n; p++) {
      const o = p * width + s * d
      if (!slot.field) {
        const q = rows[p] * d
        for (let j = 0; j < d; j++) emb[o + j] = w[q + j]
        continue
      }
      const {offsets, rows: bag, weights} = slot.field
      for (let k = offsets[rows[p]]; k < offsets[rows[p] + 1]; k++) {
        addScaledRow(emb, o, w, bag[k] * d, d, weights[k])
      }
    }
  })
  const nu = model.userFeatures.numeric.names.length
  const ni = model.itemFeatures.numeric.names.length
  const nc = model.cross.names.length
  const stride = nu + ni + nc
  const dense = new Float32Array(n * stride)
  const userValues = model.userFeatures.numeric.values
  const itemValues = model.itemFeatures.numeric.values
  for (let p = 0; p < n; p++) {
    const o = p * stride
    for (let j = 0; j < nu; j++) dense[o + j] = userValues[pairs.users[p] * nu + j]
    for (let j = 0; j < ni; j++) dense[o + nu + j] = itemValues[pairs.items[p] * ni + j]
  }
  if (nc > 0) {
    computeCrossFeatures(stats, model.cross.names, pairs, dense, stride, nu + ni)
    standardizeColumns(dense, n, stride, nu + ni, model.cross)
  }
  return {n, emb, dense, windows}
}

/** Backward of the slot gather: grad [n, slots * dim] into each table's pending rows (bags and histories by their weights). */
export function scatterSlotGradients(model: RankerModel, pairs: Pick<RankerPairs, 'users' | 'items'>, input: RankerInput, grad: Float32Array): void {
  const d = model.dim
  const width = model.slots.length * d
  const n = pairs.items.length
  model.slots.forEach((slot, s) => {
    if (slot.side === 'history') {
      const part = new Float32Array(n * d)
      for (let p = 0; p < n; p++) part.set(grad.subarray(p * width + s * d, p * width + s * d + d), p * d)
      meanPoolRowsBackward(slot.table, input.windows!, model.config['history-length'], part)
      return
    }
    const rows = slot.side === 'user' ? pairs.users : pairs.items
    for (let p = 0; p < n; p++) {
      const o = p * width + s * d
      if (!slot.field) {
        slot.table.accumulateRow(rows[p], grad, o, 1)
        continue
      }
      const {offsets, rows: bag, weights} = slot.field
      for (let k = offsets[rows[p]]; k < offsets[rows[p] + 1]; k++) slot.table.accumulateRow(bag[k], grad, o, weights[k])
    }
  })
}
