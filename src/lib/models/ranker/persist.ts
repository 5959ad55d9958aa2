// Ranker weights as named tensors: sparse tables, dense layers and the fusion weights.
import * as tf from '@tensorflow/tfjs'

import type {DenseLayer} from '../../engine/dense.js'
import type {SafeTensor} from '../../engine/safetensors.js'
import {RecError} from '../../errors.js'
import {type RankerModel, rankerLayers, rankerTables} from './model.js'

/** `${layer.name}.kernel` [in, out] and `${layer.name}.bias` [out] of every layer, copied out of tfjs. */
export function layersToTensors(layers: DenseLayer[]): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {}
  for (const layer of layers) {
    out[`${layer.name}.kernel`] = {dtype: 'F32', shape: [...layer.kernel.shape], data: Float32Array.from(layer.kernel.dataSync())}
    out[`${layer.name}.bias`] = {dtype: 'F32', shape: [...layer.bias.shape], data: Float32Array.from(layer.bias.dataSync())}
  }
  return out
}

export const FUSION_TENSOR = 'fusion.weights'
export const LOGQ_TENSOR = 'negatives.log_q'

/** Every weight by name (copies): tables [rows, dim], layers name.kernel/name.bias, fusion.weights [H]. */
export function exportRanker(model: RankerModel): Map<string, SafeTensor> {
  const out = new Map<string, SafeTensor>()
  for (const [name, table] of Object.entries(rankerTables(model))) out.set(name, {dtype: 'F32', shape: [table.rows, table.dim], data: table.weights.slice()})
  for (const [name, tensor] of Object.entries(layersToTensors(rankerLayers(model)))) out.set(name, tensor)
  out.set(FUSION_TENSOR, {dtype: 'F32', shape: [model.fusion.length], data: model.fusion.slice()})
  if (model.logQ) out.set(LOGQ_TENSOR, {dtype: 'F32', shape: [model.logQ.length], data: model.logQ.slice()})
  return out
}

/**
 * Copies every tensor the model has from `tensors` (and the sampling correction when `logQ` rows are
 * expected); a missing one or another shape is MISMATCH naming `source`.
 */
export function importRanker(model: RankerModel, tensors: Map<string, SafeTensor>, source: string, logQRows?: number): void {
  const get = (name: string, shape: number[]): Float32Array => {
    const t = tensors.get(name)
    if (!t || t.dtype !== 'F32' || t.shape.join(',') !== shape.join(',')) {
      throw new RecError('MISMATCH', `${source}: tensor ${name} is ${t ? `${t.dtype} [${t.shape}]` : 'missing'}, the model needs F32 [${shape}]`, {
        hint: 'load the checkpoint against the dataset it was trained on',
      })
    }
    return t.data as Float32Array
  }
  for (const [name, table] of Object.entries(rankerTables(model))) table.weights.set(get(name, [table.rows, table.dim]))
  for (const layer of rankerLayers(model)) {
    for (const [suffix, variable] of [['kernel', layer.kernel as tf.Variable], ['bias', layer.bias as tf.Variable]] as const) {
      const data = get(`${layer.name}.${suffix}`, [...variable.shape])
      tf.tidy(() => variable.assign(tf.tensor(data, variable.shape)))
    }
  }
  model.fusion.set(get(FUSION_TENSOR, [model.fusion.length]))
  if (logQRows !== undefined) model.logQ = get(LOGQ_TENSOR, [logQRows]).slice()
}
