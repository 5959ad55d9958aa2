// DenseAdam: equal to tf.train.adam without L2, L2 folded into the gradient, no leaked tensors.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {DenseAdam} from '../../src/lib/engine/dense-adam.js'
import {Rng} from '../../src/lib/random/rng.js'

beforeAll(async () => {
  await initBackend('wasm')
})

function randomValues(n: number, rng: Rng): Float32Array {
  return Float32Array.from({length: n}, () => rng.normal())
}

describe('DenseAdam', () => {
  it('follows tf.train.adam step for step when l2 = 0', () => {
    const rng = new Rng(2)
    const start = randomValues(12, rng)
    const mine = tf.variable(tf.tensor2d(start, [3, 4]))
    const theirs = tf.variable(tf.tensor2d(start, [3, 4]))
    const adam = new DenseAdam({learningRate: 0.05, epsilon: 1e-7})
    const reference = tf.train.adam(0.05, 0.9, 0.999, 1e-7)
    for (let step = 0; step < 8; step++) {
      const target = tf.tensor2d(randomValues(12, rng), [3, 4])
      const loss = (w: tf.Tensor) => tf.sum(tf.square(tf.sub(tf.tanh(w), target))) as tf.Scalar
      const grad = tf.grad(loss)(mine)
      adam.step([{variable: mine, grad}])
      reference.minimize(() => loss(theirs), false, [theirs])
      tf.dispose([target, grad])
    }
    const a = mine.dataSync()
    const b = theirs.dataSync()
    // tf.train.adam keeps beta^t in float32: 1 - 0.999^t is then off by ~1.3e-5 relative, which
    // moves each update by ~6e-6 of lr; over 8 steps of lr 0.05 that stays below 1e-5.
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5)
    expect(Math.abs(a[0] - start[0])).toBeGreaterThan(0.05)
    tf.dispose([mine, theirs])
    adam.dispose()
    reference.dispose()
  })

  it('adds l2 * w to the gradient: a zero gradient still shrinks the weights', () => {
    const w = tf.variable(tf.tensor1d([2, -4]))
    const adam = new DenseAdam({learningRate: 0.1, l2: 0.5})
    const zero = tf.zeros([2])
    adam.step([{variable: w, grad: zero}])
    // First Adam step moves each weight by lr * sign(g) with g = l2 * w.
    const [x, y] = w.dataSync()
    expect(x).toBeCloseTo(1.9, 5)
    expect(y).toBeCloseTo(-3.9, 5)
    tf.dispose([w, zero])
    adam.dispose()
  })

  it('keeps tf.memory().numTensors flat across steps and frees its moments on dispose', () => {
    const w = tf.variable(tf.ones([5, 5]))
    const adam = new DenseAdam()
    const baseline = tf.memory().numTensors
    const counts: number[] = []
    for (let step = 0; step < 5; step++) {
      const grad = tf.fill([5, 5], 0.1)
      adam.step([{variable: w, grad}])
      grad.dispose()
      counts.push(tf.memory().numTensors)
    }
    expect(counts).toEqual(Array(5).fill(baseline + 2))
    adam.dispose()
    expect(tf.memory().numTensors).toBe(baseline)
    w.dispose()
  })

  it('stepArrays (JS arithmetic) follows step (tfjs) and resumes from either path', () => {
    const rng = new Rng(4)
    const start = randomValues(6, rng)
    const grads = Array.from({length: 6}, () => randomValues(6, rng))
    const run = (path: 'step' | 'stepArrays', steps: number[], adam = new DenseAdam({learningRate: 0.05, l2: 0.1}), w = tf.variable(tf.tensor1d(start))) => {
      for (const i of steps) {
        if (path === 'stepArrays') adam.stepArrays([{variable: w, grad: grads[i]}])
        else {
          const grad = tf.tensor1d(grads[i])
          adam.step([{variable: w, grad}])
          grad.dispose()
        }
      }
      return {adam, w}
    }
    const tensors = run('step', [0, 1, 2, 3, 4, 5])
    const arrays = run('stepArrays', [0, 1, 2, 3, 4, 5])
    const [a, b] = [tensors.w.dataSync(), arrays.w.dataSync()]
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5)
    // Three steps on tensors, exported, imported into an optimizer that continues on arrays.
    const half = run('step', [0, 1, 2])
    const state = half.adam.exportState({w: half.w})
    const resumed = new DenseAdam({learningRate: 0.05, l2: 0.1})
    resumed.importState({w: half.w}, state)
    run('stepArrays', [3, 4, 5], resumed, half.w)
    const c = half.w.dataSync()
    for (let i = 0; i < a.length; i++) expect(c[i]).toBeCloseTo(a[i], 5)
    expect(resumed.exportState({w: half.w}).moments.w.m.length).toBe(6)
    for (const {adam, w} of [tensors, arrays, half]) {
      adam.dispose()
      w.dispose()
    }
  })
})
