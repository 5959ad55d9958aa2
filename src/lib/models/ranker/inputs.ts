// The ranker's inputs for (user, item, time) pairs, assembled in JS; shared by training, evaluation and serving.
import {computeCrossFeatures} from '../../features/cross/cross-features.js'
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {standardizeColumns} from '../../features/cross/standardize.js'
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
}

/** Gathers embedding slots and dense features for every pair. */
export function assembleInputs(model: RankerModel, stats: CrossStats, pairs: RankerPairs): RankerInput {
  const n = pairs.items.length
  const d = model.dim
  const width = model.slots.length * d
  const emb = new Float32Array(n * width)
  model.slots.forEach((slot, s) => {
    const rows = slot.side === 'user' ? pairs.users : pairs.items
    const w = slot.table.weights
    for (let p = 0; p < n; p++) {
      const o = p * width + s * d
      if (!slot.field) {
        const q = rows[p] * d
        for (let j = 0; j < d; j++) emb[o + j] = w[q + j]
        continue
      }
      const {offsets, rows: bag, weights} = slot.field
      for (let k = offsets[rows[p]]; k < offsets[rows[p] + 1]; k++) {
        const weight = weights[k]
        const q = bag[k] * d
        for (let j = 0; j < d; j++) emb[o + j] += weight * w[q + j]
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
  return {n, emb, dense}
}

/** Backward of the slot gather: grad [n, slots * dim] into each table's pending rows (bags by their weights). */
export function scatterSlotGradients(model: RankerModel, pairs: Pick<RankerPairs, 'users' | 'items'>, grad: Float32Array): void {
  const d = model.dim
  const width = model.slots.length * d
  const n = pairs.items.length
  model.slots.forEach((slot, s) => {
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
