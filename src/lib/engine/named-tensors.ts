// Converts model pieces (sparse tables, dense layers) to and from named safetensors entries.
import * as tf from '@tensorflow/tfjs'

import {RecError} from '../errors.js'
import type {DenseLayer} from './dense.js'
import type {SafeTensor} from './safetensors.js'
import {SparseEmbedding, type SparseEmbeddingOptions} from './sparse-embedding.js'

/** The table as an F32 [rows, dim] entry; shares the weights (no copy), so encode before training on. */
export function tableToSafeTensor(table: SparseEmbedding): SafeTensor {
  return {dtype: 'F32', shape: [table.rows, table.dim], data: table.weights}
}

/** A table over the entry's data; `source` names the file in errors. */
export function tableFromSafeTensors(tensors: Map<string, SafeTensor>, name: string, source: string, options: SparseEmbeddingOptions = {}): SparseEmbedding {
  const tensor = expectTensor(tensors, name, source)
  if (tensor.dtype !== 'F32' || tensor.shape.length !== 2 || tensor.shape[0] === 0) {
    throw new RecError('MISMATCH', `${source}: tensor ${name} is ${tensor.dtype} [${tensor.shape.join(', ')}], expected non-empty F32 [rows, dim]`)
  }
  return new SparseEmbedding(tensor.data as Float32Array, tensor.shape[1], {...options, name})
}

/** `${layer.name}.kernel` [in, out] and `${layer.name}.bias` [out] for every layer (copied out of tfjs). */
export function denseToSafeTensors(layers: DenseLayer[]): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {}
  for (const layer of layers) {
    out[`${layer.name}.kernel`] = {dtype: 'F32', shape: [...layer.kernel.shape], data: layer.kernel.dataSync() as Float32Array}
    out[`${layer.name}.bias`] = {dtype: 'F32', shape: [...layer.bias.shape], data: layer.bias.dataSync() as Float32Array}
  }
  return out
}

/** Assigns each layer's kernel and bias from the entries; a missing name or other shape is MISMATCH. */
export function loadDenseFromSafeTensors(layers: DenseLayer[], tensors: Map<string, SafeTensor>, source: string): void {
  for (const layer of layers) {
    for (const [suffix, variable] of [['kernel', layer.kernel], ['bias', layer.bias]] as const) {
      const name = `${layer.name}.${suffix}`
      const tensor = expectTensor(tensors, name, source)
      if (tensor.dtype !== 'F32' || !tf.util.arraysEqual(tensor.shape, variable.shape)) {
        throw new RecError('MISMATCH', `${source}: tensor ${name} is ${tensor.dtype} [${tensor.shape.join(', ')}], the model needs F32 [${variable.shape.join(', ')}]`)
      }
      tf.tidy(() => (variable as tf.Variable).assign(tf.tensor(tensor.data as Float32Array, variable.shape)))
    }
  }
}

function expectTensor(tensors: Map<string, SafeTensor>, name: string, source: string): SafeTensor {
  const tensor = tensors.get(name)
  if (!tensor) throw new RecError('MISMATCH', `${source}: no tensor named ${name}`, {hint: 'the checkpoint was written by a different model architecture'})
  return tensor
}
