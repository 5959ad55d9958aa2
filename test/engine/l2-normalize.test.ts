// l2Normalize equals x / |x| in value and in the gradient of a non-linear loss; a zero row stays finite.
import * as tf from '@tensorflow/tfjs'
import {describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {l2Normalize} from '../../src/lib/engine/l2-normalize.js'
import {Rng} from '../../src/lib/random/rng.js'

describe.each(['cpu', 'wasm'] as const)('l2Normalize on %s', (backend) => {
  it('matches autodiff of x / norm(x)', async () => {
    await initBackend(backend)
    const rng = new Rng(5)
    const x = tf.tensor2d(Float32Array.from({length: 6 * 5}, () => rng.normal()), [6, 5])
    const weights = tf.tensor2d(Float32Array.from({length: 6 * 5}, () => rng.normal()), [6, 5])
    // A non-linear loss so that the gradient is not orthogonal to every row by accident.
    const loss = (normalise: (t: tf.Tensor2D) => tf.Tensor2D) => (t: tf.Tensor) => tf.sum(tf.square(tf.mul(normalise(t as tf.Tensor2D), weights))) as tf.Scalar
    const mine = tf.valueAndGrad(loss(l2Normalize))(x)
    const theirs = tf.valueAndGrad(loss((t) => tf.div(t, tf.norm(t, 'euclidean', 1, true))))(x)
    expect(mine.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 5)
    const [a, b] = [mine.grad.dataSync(), theirs.grad.dataSync()]
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5)
    const rows = tf.norm(l2Normalize(x), 'euclidean', 1).dataSync()
    for (const r of rows) expect(r).toBeCloseTo(1, 5)
    tf.dispose([x, weights, mine.value, mine.grad, theirs.value, theirs.grad])
  })

  it('maps a zero row to zeros with a finite gradient', async () => {
    await initBackend(backend)
    const x = tf.tensor2d([0, 0, 3, 4], [2, 2])
    const {value, grad} = tf.valueAndGrad((t: tf.Tensor) => tf.sum(l2Normalize(t as tf.Tensor2D)) as tf.Scalar)(x)
    expect(Array.from(l2Normalize(x).dataSync())).toEqual([0, 0, expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)])
    expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true)
    tf.dispose([x, value, grad])
  })
})
