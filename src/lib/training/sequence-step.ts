// One gradient step of a sequence encoder: every real position of every window predicts its next item.
import * as tf from '@tensorflow/tfjs'

import type {DenseAdam} from '../engine/dense-adam.js'
import {selectRows} from '../engine/select-rows.js'
import {RecError} from '../errors.js'
import {gatherMatrixRows} from '../models/two-tower/field-pool.js'
import {backwardBase, denseVariablesByName, finishUserTower, itemTower, prepareItems, prepareUsers, type TwoTowerModel} from '../models/two-tower/model.js'
import {nextItemLoss} from './next-item-task.js'
import {applyGradients, type DenseGradients} from './retrieval-step.js'
import type {SequenceBatch} from './sequence-batches.js'

/** A variable over `values`; the staging tensor is released at once. */
function leaf(values: Float32Array, shape: number[]): tf.Variable {
  const staging = tf.tensor(values, shape)
  const variable = tf.variable(staging)
  staging.dispose()
  return variable
}

/**
 * Forward: the encoder over [B, L] windows gives [B, L, d]; the user base (id, features) is added
 * at every position; the N real positions are kept ([N, d]) and finish the user tower; the item
 * tower embeds the C columns; the task scores [N, C]. Backward: gradients w.r.t. the gathered rows
 * go to the sparse tables' pending rows, the dense ones are returned with the loss.
 */
export function sequenceGradients(model: TwoTowerModel, batch: SequenceBatch): {loss: number; dense: DenseGradients} {
  const encoder = model.encoder
  if (!encoder.encodeSequence) throw new RecError('INVALID_ARGUMENT', `the ${encoder.kind} encoder cannot train on every position`, {hint: 'use --user-encoder transformer'})
  const b = batch.users.length
  const length = batch.inputs.length / b
  const d = model.dim
  const n = batch.positions.length
  const c = batch.columns.length
  const userIn = prepareUsers(model, batch.users, batch.inputs)
  const itemIn = prepareItems(model, batch.columns)
  const dense = denseVariablesByName(model)
  const userBase = leaf(userIn.base, [b, d])
  const sequence = userIn.encoded.parts.map((part) => leaf(part.values, part.shape))
  const itemBase = leaf(itemIn.base, [c, d])
  const nNumeric = model.user.features.numeric.names.length
  const constants = {
    sequence: userIn.encoded.constants.map((constant) => tf.tensor(constant.values, constant.shape)),
    // [N, nNumeric]: each position carries its user's numeric features.
    userNumeric: userIn.numeric.length > 0 ? tf.tensor2d(gatherMatrixRows(userIn.numeric, nNumeric, batch.rowUser), [n, nNumeric]) : undefined,
    itemNumeric: itemIn.numeric.length > 0 ? tf.tensor2d(itemIn.numeric, [c, itemIn.numeric.length / c]) : undefined,
  }
  const {value, grads} = tf.variableGrads(() => {
    const h = encoder.encodeSequence!(sequence, constants.sequence, {dropoutSeed: batch.dropoutSeed}) // [B, L, d]
    const rows = tf.reshape(tf.add(h, tf.expandDims(userBase, 1)), [b * length, d]) as tf.Tensor2D
    const u = finishUserTower(model, selectRows(rows, batch.positions), constants.userNumeric) // [N, d]
    const v = itemTower(model, itemBase as tf.Tensor2D, constants.itemNumeric) // [C, d]
    return nextItemLoss(u, v, batch, model.config.temperature)
  }, [userBase, ...sequence, itemBase, ...Object.values(dense)])

  backwardBase(model.user, batch.users, d, grads[userBase.name].dataSync() as Float32Array)
  encoder.backward(model.items, batch.inputs, length, sequence.map((part) => grads[part.name].dataSync() as Float32Array))
  backwardBase(model.item, batch.columns, d, grads[itemBase.name].dataSync() as Float32Array)
  const denseGrads: DenseGradients = {}
  for (const [name, variable] of Object.entries(dense)) denseGrads[name] = grads[variable.name] ? Float32Array.from(grads[variable.name].dataSync() as Float32Array) : new Float32Array(variable.size)
  const loss = value.dataSync()[0]
  tf.dispose([value, userBase, ...sequence, itemBase, ...Object.values(grads), ...constants.sequence, constants.userNumeric, constants.itemNumeric].filter((t) => t !== undefined))
  return {loss, dense: denseGrads}
}

/** Forward, backward and one Adam step (sparse rows and dense variables); returns the loss. */
export function sequenceStep(model: TwoTowerModel, batch: SequenceBatch, adam: DenseAdam): number {
  const {loss, dense} = sequenceGradients(model, batch)
  applyGradients(model, adam, dense)
  return loss
}
