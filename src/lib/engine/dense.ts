// Fully connected layers and MLPs as plain tf.Variables, Glorot-initialised from a seed, using the fast matMul.
import * as tf from '@tensorflow/tfjs'

import {RecError} from '../errors.js'
import type {Rng} from '../random/rng.js'
import {matMul} from './matmul.js'

export const ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid'] as const
export type Activation = (typeof ACTIVATIONS)[number]

/** y = x @ kernel + bias. `name` prefixes the checkpoint tensor names (name.kernel, name.bias). */
export interface DenseLayer {
  name: string
  kernel: tf.Variable<tf.Rank.R2> // [in, out]
  bias: tf.Variable<tf.Rank.R1> // [out]
}

/** Glorot-uniform kernel, U(-sqrt(6 / (in + out)), +...), drawn row-major from `rng`; zero bias. */
export function createDense(name: string, inDim: number, outDim: number, rng: Rng): DenseLayer {
  if (!(Number.isInteger(inDim) && inDim > 0 && Number.isInteger(outDim) && outDim > 0)) {
    throw new RecError('INVALID_ARGUMENT', `dense layer ${name}: sizes ${inDim} x ${outDim} must be positive integers`)
  }
  const limit = Math.sqrt(6 / (inDim + outDim))
  const values = new Float32Array(inDim * outDim)
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * limit
  // Variables are left unnamed: tfjs names are global per process and two models may share layer names.
  return {name, kernel: toVariable(tf.tensor2d(values, [inDim, outDim])), bias: toVariable(tf.zeros([outDim]))}
}

/** A variable holding `initial`'s data; the initial tensor is released so numTensors counts the variable once. */
function toVariable<R extends tf.Rank>(initial: tf.Tensor<R>): tf.Variable<R> {
  const variable = tf.variable(initial)
  initial.dispose()
  return variable
}

/** activation(x @ kernel + bias) for x [batch, in] -> [batch, out]. */
export function dense(x: tf.Tensor2D, layer: DenseLayer, activation: Activation = 'linear'): tf.Tensor2D {
  const y = tf.add(matMul(x, layer.kernel), layer.bias) as tf.Tensor2D
  switch (activation) {
    case 'linear':
      return y
    case 'relu':
      return tf.relu(y)
    case 'tanh':
      return tf.tanh(y)
    case 'sigmoid':
      return tf.sigmoid(y)
  }
}

/** Layers for sizes [in, hidden..., out], named `${name}.0`, `${name}.1`, ...; each layer draws from its own fork of rng. */
export function createMlp(name: string, sizes: number[], rng: Rng): DenseLayer[] {
  if (sizes.length < 2) throw new RecError('INVALID_ARGUMENT', `mlp ${name}: needs at least input and output sizes, got [${sizes.join(', ')}]`)
  return sizes.slice(1).map((out, i) => createDense(`${name}.${i}`, sizes[i], out, rng.fork(i)))
}

/** Hidden layers use `activation`; the last layer is linear. */
export function mlp(x: tf.Tensor2D, layers: DenseLayer[], activation: Activation = 'relu'): tf.Tensor2D {
  return layers.reduce((h, layer, i) => dense(h, layer, i === layers.length - 1 ? 'linear' : activation), x)
}

/** Every variable of the layers, for an optimizer or gradient call. */
export function denseVariables(layers: DenseLayer[]): tf.Variable[] {
  return layers.flatMap((layer) => [layer.kernel, layer.bias])
}
