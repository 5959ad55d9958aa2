// Dense layers and MLPs: seeded Glorot init, forward as tf ops, gradients through the custom matMul.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {createDense, createMlp, dense, denseVariables, mlp} from '../../src/lib/engine/dense.js'
import {RecError} from '../../src/lib/errors.js'
import {Rng} from '../../src/lib/random/rng.js'

beforeAll(async () => {
  await initBackend('wasm')
})

describe('dense layers', () => {
  it('draws a Glorot-uniform kernel from the seed and a zero bias', () => {
    const a = createDense('a', 30, 20, new Rng(1))
    const b = createDense('b', 30, 20, new Rng(1))
    const kernel = a.kernel.dataSync()
    expect(kernel).toEqual(b.kernel.dataSync())
    const limit = Math.sqrt(6 / 50)
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(limit)
    expect(Math.max(...kernel.map(Math.abs))).toBeGreaterThan(0.9 * limit)
    expect([...a.bias.dataSync()]).toEqual(Array(20).fill(0))
    tf.dispose(denseVariables([a, b]))
  })

  it('computes activation(x @ kernel + bias)', () => {
    const layer = createDense('l', 2, 2, new Rng(1))
    layer.kernel.assign(tf.tensor2d([1, -1, 2, 0.5], [2, 2]))
    layer.bias.assign(tf.tensor1d([0.5, -3]))
    const x = tf.tensor2d([1, 1, -1, 2], [2, 2])
    expect([...dense(x, layer).dataSync()]).toEqual([3.5, -3.5, 3.5, -1])
    expect([...dense(x, layer, 'relu').dataSync()]).toEqual([3.5, 0, 3.5, 0])
    expect(dense(x, layer, 'sigmoid').dataSync()[1]).toBeCloseTo(1 / (1 + Math.exp(3.5)), 6)
    tf.dispose([x, ...denseVariables([layer])])
  })

  it('an MLP gives the same gradients as the same network built on tf.matMul', () => {
    const layers = createMlp('tower', [8, 16, 4], new Rng(3))
    expect(layers.map((l) => l.name)).toEqual(['tower.0', 'tower.1'])
    const rng = new Rng(4)
    const x = tf.tensor2d(Float32Array.from({length: 5 * 8}, () => rng.normal()), [5, 8])
    const vars = denseVariables(layers)
    const builtin = (h: tf.Tensor2D) =>
      layers.reduce((acc, l, i) => {
        const y = tf.add(tf.matMul(acc, l.kernel), l.bias) as tf.Tensor2D
        return i < layers.length - 1 ? tf.relu(y) : y
      }, h)
    const mine = tf.grads((input: tf.Tensor) => tf.sum(tf.square(mlp(input as tf.Tensor2D, layers))))([x, ...vars])
    const theirs = tf.grads((input: tf.Tensor) => tf.sum(tf.square(builtin(input as tf.Tensor2D))))([x, ...vars])
    mine.forEach((g, i) => {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(g, theirs[i]))).dataSync()[0])
      expect(diff).toBeLessThan(1e-4)
    })
    expect(tf.tidy(() => tf.sum(tf.abs(mine[1])).dataSync()[0])).toBeGreaterThan(0)
    tf.dispose([x, ...vars, ...mine, ...theirs])
  })

  it('rejects bad sizes', () => {
    expect(() => createDense('x', 0, 3, new Rng(1))).toThrow(RecError)
    expect(() => createMlp('x', [4], new Rng(1))).toThrow(/at least input and output/)
  })
})
