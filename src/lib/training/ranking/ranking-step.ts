// One gradient step of the ranker: JS-side inputs, tfjs layers and loss, sparse (row-wise) + dense Adam.
import * as tf from '@tensorflow/tfjs'

import type {DenseAdam} from '../../engine/dense-adam.js'
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {rankerLogits} from '../../models/ranker/forward.js'
import {assembleInputs, type RankerPairs, scatterSlotGradients} from '../../models/ranker/inputs.js'
import {type RankerModel, rankerTables, rankerVariables} from '../../models/ranker/model.js'
import {weightedBinaryCrossEntropy} from './binary-loss.js'

export interface RankingBatch extends RankerPairs {
  /** [B, H] 0/1 as floats. */
  labels: Float32Array
  /** [B] example weights. */
  weights: Float32Array
}

/**
 * Forward, backward and update for one batch; returns the loss. The gathered embedding slots
 * become one temporary variable, so a single variableGrads call yields their gradient (scattered
 * back into the sparse tables in JS) and the dense layers' gradients.
 */
export function rankingStep(model: RankerModel, stats: CrossStats, batch: RankingBatch, adam: DenseAdam): number {
  const b = batch.items.length
  const h = model.heads.length
  const input = assembleInputs(model, stats, batch)
  const variables = rankerVariables(model)
  const gathered = tf.tensor2d(input.emb, [b, model.slots.length * model.dim])
  const emb = tf.variable(gathered)
  // The variable shares the tensor's data; the tensor object itself must go, or numTensors grows by one a step.
  gathered.dispose()
  let weightSum = 0
  for (let i = 0; i < b; i++) weightSum += batch.weights[i]
  const constants = {
    dense: model.denseNames.length > 0 ? tf.tensor2d(input.dense, [b, model.denseNames.length]) : undefined,
    labels: tf.tensor2d(batch.labels, [b, h]),
    weights: tf.tensor2d(batch.weights, [b, 1]),
  }
  const {value, grads} = tf.variableGrads(
    () => weightedBinaryCrossEntropy(rankerLogits(model, emb, constants.dense), constants.labels, constants.weights, weightSum || 1),
    [emb, ...variables],
  )
  scatterSlotGradients(model, batch, input, grads[emb.name].dataSync() as Float32Array)
  for (const table of Object.values(rankerTables(model))) table.step()
  adam.step(variables.map((variable) => ({variable, grad: grads[variable.name]})))
  const loss = value.dataSync()[0]
  tf.dispose([value, emb, ...Object.values(grads), ...Object.values(constants).filter((t) => t !== undefined)])
  return loss
}
