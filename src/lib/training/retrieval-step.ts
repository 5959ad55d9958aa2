// One gradient step of the two-tower model: JS-side lookups, tfjs towers and loss, sparse + dense Adam.
import * as tf from '@tensorflow/tfjs'

import type {DenseAdam} from '../engine/dense-adam.js'
import {inBatchSoftmaxLoss} from '../engine/in-batch-softmax.js'
import {backwardBase, denseVariablesByName, itemTower, prepareItems, prepareUsers, stepSparse, type TwoTowerModel, userTower} from '../models/two-tower/model.js'

export interface RetrievalBatch {
  /** [B] user rows and their [B, L] right-aligned history windows. */
  users: Int32Array
  windows: Int32Array
  /** [C >= B] item columns; column b < B is row b's positive. */
  columns: Int32Array
  /** [C] log q per column, or undefined without logQ correction. */
  logQ?: Float32Array
  weights: Float32Array
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
 * Forward, backward and update for one batch; returns the loss. The gathered inputs become
 * temporary variables so that one variableGrads call yields both their gradients (scattered
 * back into the sparse tables in JS) and the dense weights' gradients.
 */
export function retrievalStep(model: TwoTowerModel, batch: RetrievalBatch, adam: DenseAdam): number {
  const b = batch.users.length
  const c = batch.columns.length
  const d = model.dim
  const length = batch.windows.length / b
  const userIn = prepareUsers(model, batch.users, batch.windows)
  const itemIn = prepareItems(model, batch.columns)
  const dense = Object.values(denseVariablesByName(model))

  const userBase = leaf(userIn.base, [b, d])
  const history = leaf(userIn.encoded.values, userIn.encoded.shape)
  const itemBase = leaf(itemIn.base, [c, d])
  const constants = {
    historyMask: userIn.encoded.mask ? (tf.tensor2d(userIn.encoded.mask, [b, length]) as tf.Tensor2D) : undefined,
    userNumeric: optional(userIn.numeric, b),
    itemNumeric: optional(itemIn.numeric, c),
  }
  const {value, grads} = tf.variableGrads(() => {
    const u = userTower(model, userBase as tf.Tensor2D, history, constants.historyMask, constants.userNumeric)
    const v = itemTower(model, itemBase as tf.Tensor2D, constants.itemNumeric)
    // Repeats of a row's positive among the columns are masked (candidateIds); logQ enters as -log q.
    return inBatchSoftmaxLoss(u, v, {temperature: model.config.temperature, columnBias: batch.logQ?.map((q) => -q), candidateIds: batch.columns, rowWeights: batch.weights})
  }, [userBase, history, itemBase, ...dense])

  backwardBase(model.user, batch.users, d, grads[userBase.name].dataSync() as Float32Array)
  model.encoder.backward(model.items, batch.windows, length, grads[history.name].dataSync() as Float32Array)
  backwardBase(model.item, batch.columns, d, grads[itemBase.name].dataSync() as Float32Array)
  stepSparse(model)
  adam.step(dense.map((variable) => ({variable, grad: grads[variable.name]})))

  const loss = value.dataSync()[0]
  tf.dispose([value, userBase, history, itemBase, ...Object.values(grads), ...Object.values(constants).filter((t) => t !== undefined)])
  return loss
}
