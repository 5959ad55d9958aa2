// The customGrad matMul gives the builtin's values and gradients, on cpu and on wasm.
import * as tf from '@tensorflow/tfjs'
import {describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {matMul} from '../../src/lib/engine/matmul.js'
import {Rng} from '../../src/lib/random/rng.js'

function random(shape: [number, number], rng: Rng): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({length: shape[0] * shape[1]}, () => rng.normal()), shape)
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])
}

describe.each(['cpu', 'wasm'] as const)('matMul on %s', (backend) => {
  it('matches tf.matMul in value and in the gradients of a non-linear loss', async () => {
    await initBackend(backend)
    const rng = new Rng(7)
    for (const [n, k, m] of [[3, 5, 4], [1, 7, 1], [16, 8, 32]]) {
      const a = random([n, k], rng)
      const b = random([k, m], rng)
      const w = random([n, m], rng)
      // A loss whose dy is not constant, so a transposition mix-up cannot cancel out.
      const loss = (mm: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(tf.tanh(mm(x as tf.Tensor2D, y as tf.Tensor2D)), w))
      const mine = tf.valueAndGrads(loss(matMul))([a, b])
      const builtin = tf.valueAndGrads(loss((x, y) => tf.matMul(x, y)))([a, b])
      expect(maxAbsDiff(matMul(a, b), tf.matMul(a, b))).toBeLessThan(1e-5)
      expect(Math.abs(mine.value.dataSync()[0] - builtin.value.dataSync()[0])).toBeLessThan(1e-4)
      expect(mine.grads[0].shape).toEqual([n, k])
      expect(mine.grads[1].shape).toEqual([k, m])
      expect(maxAbsDiff(mine.grads[0], builtin.grads[0])).toBeLessThan(1e-5)
      expect(maxAbsDiff(mine.grads[1], builtin.grads[1])).toBeLessThan(1e-5)
      tf.dispose([a, b, w, mine.value, builtin.value, ...mine.grads, ...builtin.grads])
    }
  })

  it('gives the builtin gradients for similarity logits u @ v^T', async () => {
    await initBackend(backend)
    const rng = new Rng(8)
    const u = random([6, 4], rng)
    const v = random([5, 4], rng)
    const f = (mm: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.square(mm(x as tf.Tensor2D, tf.transpose(y as tf.Tensor2D))))
    const mine = tf.grads(f(matMul))([u, v])
    const builtin = tf.grads(f((x, y) => tf.matMul(x, y)))([u, v])
    expect(maxAbsDiff(mine[0], builtin[0])).toBeLessThan(1e-4)
    expect(maxAbsDiff(mine[1], builtin[1])).toBeLessThan(1e-4)
    tf.dispose([u, v, ...mine, ...builtin])
  })
})
