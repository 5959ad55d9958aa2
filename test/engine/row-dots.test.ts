// dotRows and weightRows equal their builtin batched-matMul forms in value and in both gradients.
import * as tf from '@tensorflow/tfjs'
import {describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {dotRows, weightRows} from '../../src/lib/engine/row-dots.js'
import {Rng} from '../../src/lib/random/rng.js'

const [B, L, D] = [3, 4, 5]

function expectClose(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape)
  const [x, y] = [a.dataSync(), b.dataSync()]
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 5)
}

describe.each(['cpu', 'wasm'] as const)('row dots on %s', (backend) => {
  it('match autodiff of tf.matMul', async () => {
    await initBackend(backend)
    const rng = new Rng(9)
    const random = (shape: number[]) => tf.tensor(Float32Array.from({length: shape.reduce((a, b) => a * b)}, () => rng.normal()), shape)
    const [x, q, w, dS, dP] = [random([B, L, D]) as tf.Tensor3D, random([B, D]) as tf.Tensor2D, random([B, L]) as tf.Tensor2D, random([B, L]), random([B, D])]
    // Weighted sums against random upstream gradients, so every output element matters.
    const mine = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(dotRows(a as tf.Tensor3D, b as tf.Tensor2D), dS)))([x, q])
    const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.matMul(a, tf.expandDims(b, 2)), [B, L]), dS)))([x, q])
    mine.forEach((g, i) => expectClose(g, theirs[i]))
    expectClose(dotRows(x, q), tf.reshape(tf.matMul(x, tf.expandDims(q, 2)), [B, L]))
    const mine2 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(weightRows(a as tf.Tensor2D, b as tf.Tensor3D), dP)))([w, x])
    const theirs2 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.matMul(tf.expandDims(a, 1), b), [B, D]), dP)))([w, x])
    mine2.forEach((g, i) => expectClose(g, theirs2[i]))
    expectClose(weightRows(w, x), tf.reshape(tf.matMul(tf.expandDims(w, 1), x), [B, D]))
  })
})
