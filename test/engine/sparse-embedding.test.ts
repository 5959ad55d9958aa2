// Row-wise lazy Adam on Float32Array tables: equal to dense Adam when every row is touched, lazy otherwise.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {DenseAdam} from '../../src/lib/engine/dense-adam.js'
import {SparseEmbedding} from '../../src/lib/engine/sparse-embedding.js'
import {RecError} from '../../src/lib/errors.js'
import {Rng} from '../../src/lib/random/rng.js'

const ROWS = 6
const DIM = 4

beforeAll(async () => {
  // cpu: the dense reference differentiates tf.gather, whose gradient kernel wasm lacks.
  await initBackend('cpu')
})

/** A loss over gathered rows [n, DIM] whose gradient differs per position. */
function lossOf(rows: tf.Tensor, a: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.square(tf.sub(tf.sum(tf.mul(tf.tanh(rows), a), 1), y)))
}

describe('SparseEmbedding', () => {
  it('initialises deterministically from the seed with scale 1/sqrt(dim)', () => {
    const a = SparseEmbedding.create(500, 16, new Rng(3))
    const b = SparseEmbedding.create(500, 16, new Rng(3))
    const c = SparseEmbedding.create(500, 16, new Rng(4))
    expect(a.weights).toEqual(b.weights)
    expect(a.weights).not.toEqual(c.weights)
    const std = Math.sqrt(a.weights.reduce((s, x) => s + x * x, 0) / a.weights.length)
    expect(std).toBeGreaterThan(0.23)
    expect(std).toBeLessThan(0.27)
    const u = SparseEmbedding.create(100, 4, new Rng(3), {init: 'uniform', scale: 0.1})
    expect(Math.max(...u.weights.map(Math.abs))).toBeLessThanOrEqual(0.1)
  })

  it.each([0, 0.1])('equals dense Adam on a tf.Variable table when every row is touched every step (l2 = %s)', (l2) => {
    const rng = new Rng(11)
    const adam = {learningRate: 0.05, l2}
    const sparse = SparseEmbedding.create(ROWS, DIM, rng.fork(1), {adam})
    const table = tf.variable(tf.tensor2d(sparse.weights.slice(), [ROWS, DIM]))
    const dense = new DenseAdam(adam)
    for (let step = 0; step < 10; step++) {
      // Every row once plus four duplicates, shuffled: duplicates must sum in both paths.
      const ids = rng.shuffle(Int32Array.from([0, 1, 2, 3, 4, 5, rng.int(ROWS), rng.int(ROWS), 2, 2]))
      const a = tf.tensor2d(Float32Array.from({length: ids.length * DIM}, () => rng.normal()), [ids.length, DIM])
      const y = tf.tensor1d(Float32Array.from({length: ids.length}, () => rng.normal()))
      const gathered = sparse.gather(ids)
      const [grad] = tf.grads((rows: tf.Tensor) => lossOf(rows, a, y))([gathered])
      expect(sparse.applyGradient(ids, grad.dataSync() as Float32Array)).toBe(ROWS)
      const {grads} = tf.variableGrads(() => lossOf(tf.gather(table, tf.tensor1d(ids, 'int32')), a, y), [table])
      dense.step([{variable: table, grad: grads[table.name]}])
      tf.dispose([a, y, gathered, grad, grads[table.name]])
    }
    // Equal up to float32 rounding: the sparse path computes in float64 and stores float32.
    const reference = table.dataSync()
    const initial = SparseEmbedding.create(ROWS, DIM, new Rng(11).fork(1)).weights
    let moved = 0
    for (let i = 0; i < reference.length; i++) {
      expect(Math.abs(sparse.weights[i] - reference[i])).toBeLessThan(1e-6)
      moved = Math.max(moved, Math.abs(sparse.weights[i] - initial[i]))
    }
    expect(moved).toBeGreaterThan(0.1)
    dense.dispose()
    table.dispose()
  })

  it('sums duplicate ids of a batch before the update and leaves untouched rows and their state alone', () => {
    const fresh = () => SparseEmbedding.create(ROWS, DIM, new Rng(5), {adam: {learningRate: 0.1}})
    const g1 = Float32Array.from([0.5, -1, 2, 0.25])
    const g2 = Float32Array.from([1.5, 3, -0.5, 1])
    const g3 = Float32Array.from([-0.3, 0.2, 0.1, 4])
    const withDuplicates = fresh()
    withDuplicates.applyGradient(Int32Array.from([3, 1, 3]), Float32Array.from([...g1, ...g2, ...g3]))
    const summed = fresh()
    summed.applyGradient(Int32Array.from([1, 3]), Float32Array.from([...g2, ...g1.map((x, j) => x + g3[j])]))
    expect(withDuplicates.weights).toEqual(summed.weights)
    const untouched = fresh().weights
    for (const row of [0, 2, 4, 5]) {
      expect(withDuplicates.weights.subarray(row * DIM, row * DIM + DIM)).toEqual(untouched.subarray(row * DIM, row * DIM + DIM))
    }
    expect(withDuplicates.weights.subarray(3 * DIM, 4 * DIM)).not.toEqual(untouched.subarray(3 * DIM, 4 * DIM))
  })

  it('counts Adam steps per row: a row skipped in a step resumes as if that step had not happened', () => {
    const fresh = () => SparseEmbedding.create(ROWS, DIM, new Rng(6), {adam: {learningRate: 0.1}})
    const g = (s: number) => Float32Array.from({length: DIM}, (_, j) => Math.sin(s * 7 + j))
    const lazy = fresh()
    lazy.applyGradient(Int32Array.from([0, 1]), Float32Array.from([...g(1), ...g(2)]))
    lazy.applyGradient(Int32Array.from([1]), g(3)) // row 0 untouched in this step
    lazy.applyGradient(Int32Array.from([0, 1]), Float32Array.from([...g(4), ...g(5)]))
    const alone = fresh()
    alone.applyGradient(Int32Array.from([0]), g(1))
    alone.applyGradient(Int32Array.from([0]), g(4))
    expect(lazy.weights.subarray(0, DIM)).toEqual(alone.weights.subarray(0, DIM))
  })

  it('gathers rows into a tensor and exposes pending gradients until step() or clearGradients()', () => {
    const table = SparseEmbedding.create(ROWS, DIM, new Rng(9))
    const t = table.gather(Int32Array.from([4, 0, 4]))
    expect(t.shape).toEqual([3, DIM])
    const values = t.dataSync()
    expect(values.subarray(0, DIM)).toEqual(table.weights.subarray(4 * DIM, 5 * DIM))
    expect(values.subarray(DIM, 2 * DIM)).toEqual(table.weights.subarray(0, DIM))
    t.dispose()
    table.accumulate(Int32Array.from([2, 5, 2]), Float32Array.from({length: 3 * DIM}, (_, i) => i), 0.5)
    const pending = table.pendingGradients()
    expect([...pending.rows]).toEqual([2, 5])
    expect([...pending.values]).toEqual([4, 5, 6, 7, 2, 2.5, 3, 3.5])
    expect(table.step()).toBe(2)
    expect(table.pendingGradients().rows.length).toBe(0)
    expect(table.step()).toBe(0)
    const before = table.weights.slice()
    table.accumulate(Int32Array.from([1]), new Float32Array(DIM).fill(1))
    table.clearGradients()
    expect(table.step()).toBe(0)
    expect(table.weights).toEqual(before)
  })

  it('rejects ids outside the table and gradients of the wrong size', () => {
    const table = SparseEmbedding.create(ROWS, DIM, new Rng(1), {name: 'items'})
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (error) {
        return error instanceof RecError ? `${error.code}: ${error.message}` : 'other'
      }
      return 'none'
    }
    expect(code(() => table.gatherRows(Int32Array.from([1, 6])))).toBe('INVALID_ARGUMENT: items: row id 6 at position 1 is outside [0, 6)')
    expect(code(() => table.applyGradient(Int32Array.from([-1]), new Float32Array(DIM)))).toMatch(/^INVALID_ARGUMENT: items: row id -1/)
    expect(code(() => table.applyGradient(Int32Array.from([1]), new Float32Array(DIM + 1)))).toMatch(/^MISMATCH/)
    expect(code(() => SparseEmbedding.create(ROWS, DIM, new Rng(1), {adam: {beta1: 1}}))).toMatch(/^INVALID_ARGUMENT: adam beta1/)
  })
})
