// batchMatMul, layerNorm and selectRows against tfjs's own autodiff of the plain formulas (the naive twins).
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {batchMatMul} from '../../src/lib/engine/batch-matmul.js'
import {layerNorm} from '../../src/lib/engine/layer-norm.js'
import {selectRows} from '../../src/lib/engine/select-rows.js'

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-4) => {
  const [x, y] = [a.dataSync(), b.dataSync()]
  expect(x.length).toBe(y.length)
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol * (1 + Math.abs(y[i])))
}

describe('sequence ops (wasm)', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it('batchMatMul: value and gradients equal tf.matMul', () => {
    const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1)
    const b = tf.randomNormal([3, 5, 6], 0, 1, 'float32', 2)
    const w = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 3)
    const f = (op: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor) => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(op(x as tf.Tensor3D, y as tf.Tensor3D), w)))([a, b])
    close(batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D), tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D))
    const [mine, ref] = [f(batchMatMul), f((x, y) => tf.matMul(x, y))]
    close(mine[0], ref[0])
    close(mine[1], ref[1])
  })

  it('layerNorm: value and gradients equal the formula under autodiff', () => {
    const x = tf.randomNormal([7, 8], 1, 2, 'float32', 4)
    const g = tf.randomNormal([8], 1, 0.5, 'float32', 5)
    const bt = tf.randomNormal([8], 0, 0.5, 'float32', 6)
    const w = tf.randomNormal([7, 8], 0, 1, 'float32', 7)
    const naive = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const {mean, variance} = tf.moments(xi, 1, true)
      return tf.add(tf.mul(tf.div(tf.sub(xi, mean), tf.sqrt(tf.add(variance, 1e-5))), gi), bi)
    }
    close(layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, bt as tf.Tensor1D), naive(x, g, bt))
    const loss = (op: (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.Tensor) => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(op(a, b, c), w)))([x, g, bt])
    const mine = loss((a, b, c) => layerNorm(a as tf.Tensor2D, b as tf.Tensor1D, c as tf.Tensor1D))
    const ref = loss(naive)
    for (let i = 0; i < 3; i++) close(mine[i], ref[i], 1e-3)
  })

  it('selectRows: picks rows and scatters (summing repeats) their gradients back', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2])
    const rows = Int32Array.from([2, 0, 2])
    expect(Array.from(selectRows(x, rows).dataSync())).toEqual([5, 6, 1, 2, 5, 6])
    const [grad] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(selectRows(a as tf.Tensor2D, rows), tf.tensor2d([1, 1, 2, 2, 3, 3], [3, 2]))))([x])
    expect(Array.from(grad.dataSync())).toEqual([2, 2, 0, 0, 4, 4])
  })
})
