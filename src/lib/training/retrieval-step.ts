// One gradient step of the two-tower model: JS-side lookups, tfjs towers and loss, sparse + dense Adam.
import * as tf from '@tensorflow/tfjs'

import type {DenseAdam} from '../engine/dense-adam.js'
import {inBatchSoftmaxLoss} from '../engine/in-batch-softmax.js'
import {backwardBase, denseVariablesByName, itemTower, prepareItems, prepareUsers, stepSparse, type TwoTowerModel, userTower} from '../models/two-tower/model.js'

export interface RetrievalBatch {
  /** [B] user rows and their [B, L] right-aligned history windows. */
  users: Int32Array
  windows: Int32Array
  /** [B] example weights. */
  weights: Float32Array
  /** [C] distinct item rows drawn for the batch: positives, then extra negatives. */
  columns: Int32Array
  /** [C] times each column was drawn. */
  counts: Float32Array
  /** [B] column of row b's positive. */
  positives: Int32Array
  /** [C] log q per column, or undefined without logQ correction. */
  logQ?: Float32Array
  /** Weight sum of the whole batch when this holds a shard of its rows; default: sum of weights. */
  weightTotal?: number
}

/** Dense gradients by variable name, summed over the rows given. */
export type DenseGradients = Record<string, Float32Array>

/** Rows [start, end) of the batch, with every column: a data-parallel shard whose gradients add up to the batch's. */
export function shardOf(batch: RetrievalBatch, start: number, end: number): RetrievalBatch {
  const length = batch.windows.length / batch.users.length
  let total = 0
  for (let i = 0; i < batch.weights.length; i++) total += batch.weights[i]
  return {
    users: batch.users.slice(start, end),
    windows: batch.windows.slice(start * length, end * length),
    weights: batch.weights.slice(start, end),
    columns: batch.columns,
    counts: batch.counts,
    positives: batch.positives.slice(start, end),
    logQ: batch.logQ,
    weightTotal: batch.weightTotal ?? total,
  }
}

/** A variable over `values`; the staging tensor is released at once (otherwise 3 tensors leak per step). */
function leaf(values: Float32Array, shape: number[]): tf.Variable {
  const staging = tf.tensor(values, shape)
  const variable = tf.variable(staging)
  staging.dispose()
  return variable
}

function optional(values: Float32Array, rows: number): tf.Tensor2D | undefined {
  return values.length > 0 ? tf.tensor2d(values, [rows, values.length / rows]) : undefined
}

/**
 * Forward and backward of the batch's rows against all of its columns: the sparse gradients are
 * added to the tables' pending rows (not applied), the dense ones returned; returns the loss (this
 * shard's part of it). The gathered inputs become temporary variables so that one variableGrads
 * call yields both their gradients and the dense weights' gradients.
 */
export function batchGradients(model: TwoTowerModel, batch: RetrievalBatch): {loss: number; dense: DenseGradients} {
  const b = batch.users.length
  const c = batch.columns.length
  const d = model.dim
  const length = batch.windows.length / b
  const userIn = prepareUsers(model, batch.users, batch.windows)
  const itemIn = prepareItems(model, batch.columns)
  const dense = denseVariablesByName(model)

  const userBase = leaf(userIn.base, [b, d])
  const history = userIn.encoded.parts.map((part) => leaf(part.values, part.shape))
  const itemBase = leaf(itemIn.base, [c, d])
  const constants = {
    history: userIn.encoded.constants.map((constant) => tf.tensor(constant.values, constant.shape)),
    userNumeric: optional(userIn.numeric, b),
    itemNumeric: optional(itemIn.numeric, c),
  }
  const {value, grads} = tf.variableGrads(() => {
    const u = userTower(model, userBase as tf.Tensor2D, history, constants.history, constants.userNumeric)
    const v = itemTower(model, itemBase as tf.Tensor2D, constants.itemNumeric)
    // Each distinct item is one column with its draw count; logQ enters as -log q.
    return inBatchSoftmaxLoss(u, v, {
      temperature: model.config.temperature,
      positives: batch.positives,
      counts: batch.counts,
      columnBias: batch.logQ?.map((q) => -q),
      rowWeights: batch.weights,
      weightTotal: batch.weightTotal,
    })
  }, [userBase, ...history, itemBase, ...Object.values(dense)])

  backwardBase(model.user, batch.users, d, grads[userBase.name].dataSync() as Float32Array)
  model.encoder.backward(
    model.items,
    batch.windows,
    length,
    history.map((part) => grads[part.name].dataSync() as Float32Array),
  )
  backwardBase(model.item, batch.columns, d, grads[itemBase.name].dataSync() as Float32Array)
  const denseGrads: DenseGradients = {}
  // A variable the loss does not reach gets no entry from variableGrads (attention's key bias: it cancels in the softmax).
  for (const [name, variable] of Object.entries(dense)) denseGrads[name] = grads[variable.name] ? Float32Array.from(grads[variable.name].dataSync() as Float32Array) : new Float32Array(variable.size)
  const loss = value.dataSync()[0]
  tf.dispose([value, userBase, ...history, itemBase, ...Object.values(grads), ...constants.history, constants.userNumeric, constants.itemNumeric].filter((t) => t !== undefined))
  return {loss, dense: denseGrads}
}

/** One Adam step: the sparse tables from their pending rows, the dense variables from `dense`. */
export function applyGradients(model: TwoTowerModel, adam: DenseAdam, dense: DenseGradients): void {
  stepSparse(model)
  adam.stepArrays(Object.entries(denseVariablesByName(model)).map(([name, variable]) => ({variable, grad: dense[name]})))
}

/** Forward, backward and update for one batch in this thread; returns the loss. */
export function retrievalStep(model: TwoTowerModel, batch: RetrievalBatch, adam: DenseAdam): number {
  const {loss, dense} = batchGradients(model, batch)
  applyGradients(model, adam, dense)
  return loss
}
