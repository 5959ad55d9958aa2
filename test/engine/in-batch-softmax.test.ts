// inBatchSoftmaxLoss equals the same loss written with tf.logSoftmax, in value and in both gradients.
import * as tf from '@tensorflow/tfjs'
import {describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {type InBatchSoftmaxOptions, inBatchSoftmaxLoss} from '../../src/lib/engine/in-batch-softmax.js'
import {RecError} from '../../src/lib/errors.js'
import {Rng} from '../../src/lib/random/rng.js'

/** The textbook version: full logits, an explicit mask, logSoftmax, the diagonal. */
function reference(u: tf.Tensor2D, v: tf.Tensor2D, options: InBatchSoftmaxOptions): tf.Scalar {
  const [n] = u.shape
  const c = v.shape[0]
  let z = tf.div(tf.matMul(u, v, false, true), options.temperature ?? 1) as tf.Tensor2D
  if (options.columnBias) z = tf.add(z, tf.tensor1d(options.columnBias))
  if (options.candidateIds) {
    const ids = options.candidateIds
    const mask = Float32Array.from({length: n * c}, (_, k) => (k % c !== Math.floor(k / c) && ids[k % c] === ids[Math.floor(k / c)] ? -1e9 : 0))
    z = tf.add(z, tf.tensor2d(mask, [n, c]))
  }
  const onDiagonal = tf.tensor2d(Float32Array.from({length: n * c}, (_, k) => (k % c === Math.floor(k / c) ? 1 : 0)), [n, c])
  const perRow = tf.neg(tf.sum(tf.mul(onDiagonal, tf.logSoftmax(z)), 1))
  if (!options.rowWeights) return tf.mean(perRow) as tf.Scalar
  const w = tf.tensor1d(options.rowWeights)
  return tf.div(tf.sum(tf.mul(perRow, w)), tf.sum(w)) as tf.Scalar
}

const CASES: Array<[string, number, number, InBatchSoftmaxOptions]> = [
  ['square, temperature 1', 6, 6, {}],
  ['extra negatives, temperature 0.1, logQ bias', 5, 9, {temperature: 0.1, columnBias: Float32Array.from({length: 9}, (_, j) => -Math.log(0.05 + j / 20))}],
  ['a repeated positive id masked as an accidental hit', 5, 7, {temperature: 0.5, candidateIds: Int32Array.from([10, 11, 10, 12, 13, 11, 14])}],
  ['row weights, one of them zero', 4, 6, {temperature: 0.2, rowWeights: Float32Array.from([1, 3, 0, 0.5])}],
]

describe.each(['cpu', 'wasm'] as const)('inBatchSoftmaxLoss on %s', (backend) => {
  it.each(CASES)('%s', async (_name, n, c, options) => {
    await initBackend(backend)
    const rng = new Rng(n * 100 + c)
    const u = tf.tensor2d(Float32Array.from({length: n * 4}, () => rng.normal()), [n, 4])
    const v = tf.tensor2d(Float32Array.from({length: c * 4}, () => rng.normal()), [c, 4])
    // Scaled by 2 so that dy != 1 reaches the gradients.
    const mine = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.mul(inBatchSoftmaxLoss(a as tf.Tensor2D, b as tf.Tensor2D, options), 2) as tf.Scalar)([u, v])
    const theirs = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.mul(reference(a as tf.Tensor2D, b as tf.Tensor2D, options), 2) as tf.Scalar)([u, v])
    expect(mine.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 4)
    for (let g = 0; g < 2; g++) {
      expect(mine.grads[g].shape).toEqual(theirs.grads[g].shape)
      const a = mine.grads[g].dataSync()
      const b = theirs.grads[g].dataSync()
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(b[i])))
    }
    tf.dispose([u, v, mine.value, theirs.value, ...mine.grads, ...theirs.grads])
  })

  it('reports the exact loss where a positive probability underflows float32', async () => {
    await initBackend(backend)
    // Row 0: z = [-200, 200] at temperature 0.01, p[0, 0] = e^-400 = 0 in float32; row 1: z = [0, 0].
    const u = tf.tensor2d([2, 0, 0, 1], [2, 2])
    const v = tf.tensor2d([-1, 0, 1, 0], [2, 2])
    const loss = inBatchSoftmaxLoss(u, v, {temperature: 0.01})
    expect(loss.dataSync()[0]).toBeCloseTo((400 + Math.log(2)) / 2, 3)
    const weighted = inBatchSoftmaxLoss(u, v, {temperature: 0.01, rowWeights: Float32Array.from([1, 3])})
    expect(weighted.dataSync()[0]).toBeCloseTo((400 + 3 * Math.log(2)) / 4, 3)
    tf.dispose([u, v, loss, weighted])
  })

  it('rejects mismatched shapes and a non-positive temperature', async () => {
    await initBackend(backend)
    const u = tf.zeros([3, 2]) as tf.Tensor2D
    const v = tf.zeros([2, 2]) as tf.Tensor2D
    expect(() => inBatchSoftmaxLoss(u, v)).toThrow(RecError)
    expect(() => inBatchSoftmaxLoss(u, u, {temperature: 0})).toThrow(/temperature 0/)
    expect(() => inBatchSoftmaxLoss(u, u, {columnBias: new Float32Array(2)})).toThrow(/columnBias has 2 values for 3 columns/)
    expect(() => inBatchSoftmaxLoss(u, u, {rowWeights: new Float32Array(3)})).toThrow(/row weights sum to 0/)
    expect(() => inBatchSoftmaxLoss(u, u, {rowWeights: Float32Array.from([1, -1, 1])})).toThrow(/row weight -1 at row 1/)
    tf.dispose([u, v])
  })
})
