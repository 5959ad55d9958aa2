// softmaxCrossEntropy equals tfjs's own softmax cross-entropy in value and gradient, and stays finite.
import * as tf from '@tensorflow/tfjs'
import {describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {softmaxCrossEntropy} from '../../src/lib/engine/softmax-cross-entropy.js'
import {RecError} from '../../src/lib/errors.js'
import {Rng} from '../../src/lib/random/rng.js'

function reference(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  const oneHot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]), 'float32')
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar
}

describe.each(['cpu', 'wasm'] as const)('softmaxCrossEntropy on %s', (backend) => {
  it('matches -mean(log softmax) at the labels, and its gradient', async () => {
    await initBackend(backend)
    const rng = new Rng(4)
    const [n, c] = [6, 9]
    const labels = Int32Array.from({length: n}, () => rng.int(c))
    const logits = tf.tensor2d(Float32Array.from({length: n * c}, () => 3 * rng.normal()), [n, c])
    // Scaled by 3 so that dy != 1 reaches the gradient.
    const mine = tf.valueAndGrad((x: tf.Tensor) => tf.mul(softmaxCrossEntropy(x as tf.Tensor2D, labels), 3) as tf.Scalar)(logits)
    const theirs = tf.valueAndGrad((x: tf.Tensor) => tf.mul(reference(x as tf.Tensor2D, labels), 3) as tf.Scalar)(logits)
    expect(mine.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 5)
    const a = mine.grad.dataSync()
    const b = theirs.grad.dataSync()
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 6)
    tf.dispose([logits, mine.value, mine.grad, theirs.value, theirs.grad])
  })

  it('stays finite and exact where the label probability underflows float32', async () => {
    await initBackend(backend)
    // p[0, 0] = exp(-200) / (1 + ...) underflows to 0, yet the loss is 200 (up to log(1 + e^-100)).
    const logits = tf.tensor2d([0, 200, 100, 5, -3, 4], [2, 3])
    const loss = softmaxCrossEntropy(logits, Int32Array.from([0, 0]))
    const expected = (200 + (-Math.log(Math.exp(0) / (Math.exp(0) + Math.exp(-8) + Math.exp(-1))))) / 2
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 3)
    tf.dispose([logits, loss])
  })

  it('rejects labels outside [0, c) and a label count that differs from the rows', async () => {
    await initBackend(backend)
    const logits = tf.zeros([2, 3]) as tf.Tensor2D
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0, 3]))).toThrow(RecError)
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0]))).toThrow(/1 labels for 2 rows/)
    logits.dispose()
  })
})
