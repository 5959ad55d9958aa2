// Inference-only layers with bias and activation fused into the matMul: one kernel call a layer instead of three.
import * as tf from '@tensorflow/tfjs'

import type {DenseLayer} from '../../engine/dense.js'
import type {RankerModel} from './model.js'

/** activation(x @ kernel + bias) as one _FusedMatMul (wasm: an XNNPACK GEMM with bias and ReLU in its epilogue). */
export function fusedDense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: 'linear' | 'relu'): tf.Tensor2D {
  return tf.fused.matMul({a: x, b: kernel, bias, activation}) as tf.Tensor2D
}

/** ReLU layers, as the shared hidden layers of every arch. */
export function reluLayers(x: tf.Tensor2D, layers: DenseLayer[]): tf.Tensor2D {
  return layers.reduce((h, layer) => fusedDense(h, layer.kernel, layer.bias, 'relu'), x)
}

/**
 * All heads' towers as two fused layers: first kernels side by side [width, H * t] (ReLU), then
 * the output weights as a block-diagonal [H * t, H] (head h reads its own t units only). With
 * tower-width 0 one linear layer [width, H].
 */
export interface HeadLayers {
  /** Logits [B, H] of the shared representation h [B, width]. */
  logits(h: tf.Tensor2D): tf.Tensor2D
  dispose(): void
}

export function createHeadLayers(model: RankerModel): HeadLayers {
  const heads = model.towers.length
  const t = model.config['tower-width']
  const width = model.towers[0][0].kernel.shape[0]
  const cols = model.towers[0][0].kernel.shape[1]
  // [width, H * cols]: head h's first kernel in columns h * cols .. (h + 1) * cols.
  const first = new Float32Array(width * heads * cols)
  const firstBias = new Float32Array(heads * cols)
  model.towers.forEach((tower, h) => {
    const k = tower[0].kernel.dataSync()
    for (let r = 0; r < width; r++) first.set(k.subarray(r * cols, (r + 1) * cols), r * heads * cols + h * cols)
    firstBias.set(tower[0].bias.dataSync(), h * cols)
  })
  const w1 = tf.tensor2d(first, [width, heads * cols])
  const b1 = tf.tensor1d(firstBias)
  const owned: tf.Tensor[] = [w1, b1]
  let out: {w: tf.Tensor2D; b: tf.Tensor1D} | undefined
  if (t > 0) {
    const block = new Float32Array(heads * t * heads)
    const bias = new Float32Array(heads)
    model.towers.forEach((tower, h) => {
      const k = tower[1].kernel.dataSync() // [t, 1]
      for (let j = 0; j < t; j++) block[(h * t + j) * heads + h] = k[j]
      bias[h] = tower[1].bias.dataSync()[0]
    })
    out = {w: tf.tensor2d(block, [heads * t, heads]), b: tf.tensor1d(bias)}
    owned.push(out.w, out.b)
  }
  return {
    logits(h) {
      const z = fusedDense(h, w1, b1, out ? 'relu' : 'linear')
      return out ? fusedDense(z, out.w, out.b, 'linear') : z
    },
    dispose: () => tf.dispose(owned),
  }
}

/** sigmoid(logits[p, h] + offsets[p]) in place, row-major [n, heads]; float64 exp, rounded once. */
export function sigmoidRows(logits: Float32Array, heads: number, offsets?: Float32Array): Float32Array {
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] + (offsets ? offsets[Math.floor(i / heads)] : 0)
    logits[i] = 1 / (1 + Math.exp(-z))
  }
  return logits
}
