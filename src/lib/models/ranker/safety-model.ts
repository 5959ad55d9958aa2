// Safety heads: nsfw / toxicity classifiers over item features only (never the labels, never the item id).
import * as tf from '@tensorflow/tfjs'

import {createMlp, type DenseLayer, mlp} from '../../engine/dense.js'
import type {SafeTensor} from '../../engine/safetensors.js'
import {SparseEmbedding} from '../../engine/sparse-embedding.js'
import type {EntityFeatures} from '../../features/entity-features.js'
import {RecError} from '../../errors.js'
import type {Rng} from '../../random/rng.js'
import {layersToTensors} from './persist.js'
import {accumulateFieldGradients, addFieldEmbeddings, type BoundField, gatherMatrixRows} from '../two-tower/field-pool.js'
import {tidyRead} from './tidy-read.js'

/** Hidden width of the safety MLP: about 10k labelled items train it, so it stays small. */
const HIDDEN = 32

export interface SafetyModel {
  /** Label columns of the items table, one output each. */
  labels: string[]
  dim: number
  features: EntityFeatures
  /** One table per categorical item field; their embeddings are summed per field into [B, fields * dim]. */
  fields: BoundField[]
  layers: DenseLayer[]
}

export function createSafetyModel(labels: string[], features: EntityFeatures, dim: number, lr: number, rng: Rng): SafetyModel {
  const fields = features.fields.map((field, i) => ({field, table: SparseEmbedding.create(field.vocab.size, dim, rng.fork(i), {name: `safety.items.${field.name}.embedding`, adam: {learningRate: lr}, scale: 0.05})}))
  const input = fields.length * dim + features.numeric.names.length
  if (input === 0) throw new RecError('INVALID_ARGUMENT', 'safety heads: the items have no categorical or numeric feature to learn from', {hint: 'pass --no-safety'})
  return {labels, dim, features, fields, layers: createMlp('safety.mlp', [input, HIDDEN, labels.length], rng.fork(100))}
}

/** [B, fields * dim + numeric] inputs of item rows, built in JS. */
export function safetyInputs(model: SafetyModel, items: Int32Array): Float32Array {
  const d = model.dim
  const width = model.fields.length * d + model.features.numeric.names.length
  const out = new Float32Array(items.length * width)
  const scratch = new Float32Array(items.length * d)
  model.fields.forEach((bound, f) => {
    scratch.fill(0)
    addFieldEmbeddings([bound], items, d, scratch)
    for (let b = 0; b < items.length; b++) out.set(scratch.subarray(b * d, b * d + d), b * width + f * d)
  })
  const nn = model.features.numeric.names.length
  const numeric = gatherMatrixRows(model.features.numeric.values, nn, items)
  for (let b = 0; b < items.length; b++) out.set(numeric.subarray(b * nn, b * nn + nn), b * width + model.fields.length * d)
  return out
}

/** Backward of safetyInputs for the field part of grad [B, width]. */
export function scatterSafetyGradients(model: SafetyModel, items: Int32Array, grad: Float32Array): void {
  const d = model.dim
  const width = model.fields.length * d + model.features.numeric.names.length
  const part = new Float32Array(items.length * d)
  model.fields.forEach((bound, f) => {
    for (let b = 0; b < items.length; b++) part.set(grad.subarray(b * width + f * d, b * width + f * d + d), b * d)
    accumulateFieldGradients([bound], items, d, part)
  })
}

/** Logits [B, labels] from inputs [B, width]. */
export function safetyLogits(model: SafetyModel, x: tf.Tensor2D): tf.Tensor2D {
  return mlp(x, model.layers)
}

/** Probabilities [items.length, labels] (no gradient). */
export function predictSafety(model: SafetyModel, items: Int32Array): Float32Array {
  const width = model.fields.length * model.dim + model.features.numeric.names.length
  const x = safetyInputs(model, items)
  return tidyRead(() => tf.sigmoid(safetyLogits(model, tf.tensor2d(x, [items.length, width]))))
}

export function exportSafety(model: SafetyModel): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = layersToTensors(model.layers)
  for (const {table} of model.fields) out[table.name] = {dtype: 'F32', shape: [table.rows, table.dim], data: table.weights.slice()}
  return out
}

export function importSafety(model: SafetyModel, tensors: Map<string, SafeTensor>, source: string): void {
  for (const {table} of model.fields) {
    const t = tensors.get(table.name)
    if (!t || t.dtype !== 'F32' || t.shape.join(',') !== `${table.rows},${table.dim}`) throw new RecError('MISMATCH', `${source}: tensor ${table.name} is missing or of another shape`)
    table.weights.set(t.data as Float32Array)
  }
  for (const layer of model.layers) {
    for (const [suffix, variable] of [['kernel', layer.kernel as tf.Variable], ['bias', layer.bias as tf.Variable]] as const) {
      const t = tensors.get(`${layer.name}.${suffix}`)
      if (!t || t.dtype !== 'F32' || t.shape.join(',') !== variable.shape.join(',')) throw new RecError('MISMATCH', `${source}: tensor ${layer.name}.${suffix} is missing or of another shape`)
      tf.tidy(() => variable.assign(tf.tensor(t.data as Float32Array, variable.shape)))
    }
  }
}

/** Releases the dense variables (the tables are plain arrays). */
export function disposeSafety(model: SafetyModel): void {
  tf.dispose(model.layers.flatMap((layer) => [layer.kernel, layer.bias]))
}
