// inBatchSoftmaxLoss equals the same loss written with tf.logSoftmax over every drawn copy, in value and in both gradients.
import * as tf from '@tensorflow/tfjs'
import {describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {type InBatchSoftmaxOptions, inBatchSoftmaxLoss} from '../../src/lib/engine/in-batch-softmax.js'
import {RecError} from '../../src/lib/errors.js'
import {Rng} from '../../src/lib/random/rng.js'

/**
 * The textbook version: every drawn copy of every candidate as its own column (row i's own copy
 * first, at column i), repeats of a row's positive masked, full logits, logSoftmax, the diagonal.
 * Returns the loss and the gradient w.r.t. v summed over each candidate's copies.
 */
function reference(u: tf.Tensor2D, v: tf.Tensor2D, options: InBatchSoftmaxOptions): {value: number; du: Float32Array; dv: Float32Array} {
  const [n, d] = u.shape
  const c = v.shape[0]
  const positives = options.positives ?? Int32Array.from({length: n}, (_, i) => i)
  const counts = options.counts ?? new Float32Array(c).fill(1)
  // Expanded columns: each row's positive copy, then the remaining copies of every candidate.
  const source: number[] = [...positives]
  const left = Float32Array.from(counts)
  for (const p of positives) left[p]--
  for (let x = 0; x < c; x++) for (let k = 0; k < left[x]; k++) source.push(x)
  const e = source.length
  const bias = Float32Array.from(source, (x) => options.columnBias?.[x] ?? 0)
  const mask = Float32Array.from({length: n * e}, (_, k) => (k % e !== Math.floor(k / e) && source[k % e] === source[Math.floor(k / e)] ? -1e9 : 0))
  const onDiagonal = tf.tensor2d(Float32Array.from({length: n * e}, (_, k) => (k % e === Math.floor(k / e) ? 1 : 0)), [n, e])
  const vExpanded = tf.tensor2d(Float32Array.from({length: e * d}, (_, k) => v.dataSync()[source[Math.floor(k / d)] * d + (k % d)]), [e, d])
  const weights = tf.tensor1d(options.rowWeights ?? new Float32Array(n).fill(1))
  const total = options.weightTotal ?? tf.sum(weights).dataSync()[0]
  const {value, grads} = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => {
    const z = tf.add(tf.add(tf.div(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true), options.temperature ?? 1), tf.tensor1d(bias)), tf.tensor2d(mask, [n, e]))
    const perRow = tf.neg(tf.sum(tf.mul(onDiagonal, tf.logSoftmax(z)), 1))
    return tf.mul(tf.div(tf.sum(tf.mul(perRow, weights)), total), 2) as tf.Scalar
  })([u, vExpanded])
  const dExpanded = grads[1].dataSync()
  const dv = new Float32Array(c * d)
  source.forEach((x, j) => {
    for (let k = 0; k < d; k++) dv[x * d + k] += dExpanded[j * d + k]
  })
  const result = {value: value.dataSync()[0], du: grads[0].dataSync() as Float32Array, dv}
  tf.dispose([onDiagonal, vExpanded, weights, value, ...grads])
  return result
}

const CASES: Array<[string, number, number, InBatchSoftmaxOptions]> = [
  ['square, temperature 1', 6, 6, {}],
  ['extra negatives, temperature 0.1, logQ bias', 5, 9, {temperature: 0.1, columnBias: Float32Array.from({length: 9}, (_, j) => -Math.log(0.05 + j / 20))}],
  // Candidates 0 and 1 are each the positive of two rows and drawn once more as negatives: counts 3.
  ['repeated candidates passed once with counts, accidental hits masked', 5, 4, {temperature: 0.5, positives: Int32Array.from([0, 1, 0, 2, 1]), counts: Float32Array.from([3, 3, 1, 2]), columnBias: Float32Array.from([-1, -1.5, -2, -0.5])}],
  ['a shard of rows with the whole batch weight total', 3, 6, {temperature: 0.2, positives: Int32Array.from([3, 4, 5]), rowWeights: Float32Array.from([1, 2, 1]), weightTotal: 9}],
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
    const theirs = reference(u, v, options)
    expect(mine.value.dataSync()[0]).toBeCloseTo(theirs.value, 4)
    expect(mine.grads[0].shape).toEqual([n, 4])
    expect(mine.grads[1].shape).toEqual([c, 4])
    for (const [a, b] of [[mine.grads[0].dataSync(), theirs.du], [mine.grads[1].dataSync(), theirs.dv]]) {
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(b[i])))
    }
    tf.dispose([u, v, mine.value, ...mine.grads])
  })

  it('splits over shards of rows: the parts add up to the whole batch, value and gradients', async () => {
    await initBackend(backend)
    const rng = new Rng(7)
    const [n, c] = [6, 5]
    const u = Float32Array.from({length: n * 4}, () => rng.normal())
    const v = tf.tensor2d(Float32Array.from({length: c * 4}, () => rng.normal()), [c, 4])
    const positives = Int32Array.from([0, 1, 2, 0, 3, 4])
    const weights = Float32Array.from([1, 2, 1, 1, 3, 1])
    const common = {temperature: 0.3, counts: Float32Array.from([2, 1, 1, 2, 1]), columnBias: Float32Array.from([-1, -2, -1, -3, -2])}
    const run = (from: number, to: number, weightTotal?: number) => {
      const part = tf.tensor2d(u.subarray(from * 4, to * 4), [to - from, 4])
      const out = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
        inBatchSoftmaxLoss(a as tf.Tensor2D, b as tf.Tensor2D, {...common, positives: positives.subarray(from, to), rowWeights: weights.subarray(from, to), weightTotal}),
      )([part, v])
      const result = {value: out.value.dataSync()[0], du: out.grads[0].dataSync(), dv: out.grads[1].dataSync()}
      tf.dispose([part, out.value, ...out.grads])
      return result
    }
    const whole = run(0, n)
    const [first, second] = [run(0, 2, 9), run(2, n, 9)]
    expect(first.value + second.value).toBeCloseTo(whole.value, 5)
    const du = [...first.du, ...second.du]
    du.forEach((x, i) => expect(x).toBeCloseTo(whole.du[i], 5))
    whole.dv.forEach((x, i) => expect(first.dv[i] + second.dv[i]).toBeCloseTo(x, 5))
    v.dispose()
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
    expect(() => inBatchSoftmaxLoss(u, v, {positives: Int32Array.from([0, 1, 2])})).toThrow(/positive column 2 of row 2 is outside \[0, 2\)/)
    expect(() => inBatchSoftmaxLoss(u, v, {positives: Int32Array.from([0, 1, 1]), counts: Float32Array.from([1, 1])})).toThrow(/column 1 is the positive of 2 rows but its count is 1/)
    tf.dispose([u, v])
  })
})
