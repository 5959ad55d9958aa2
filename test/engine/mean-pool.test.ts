// meanPoolRows and its backward against the same pooling written in tf ops and differentiated by tfjs.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {PAD, meanPoolRows, meanPoolRowsBackward} from '../../src/lib/engine/mean-pool.js'
import {SparseEmbedding} from '../../src/lib/engine/sparse-embedding.js'
import {RecError} from '../../src/lib/errors.js'
import {Rng} from '../../src/lib/random/rng.js'

const ROWS = 7
const DIM = 5 // odd, so the unrolled row kernels run their tail
const WIDTH = 4

beforeAll(async () => {
  await initBackend('cpu') // the reference differentiates tf.gather
})

// Three examples: with a duplicate and a PAD, all PAD (pools to zeros), full.
const IDS = Int32Array.from([2, PAD, 5, 2, PAD, PAD, PAD, PAD, 0, 6, 1, 3])

/** The reference: masked mean of gathered rows, in tf ops. */
function referencePool(table: tf.Tensor2D): tf.Tensor2D {
  const mask = tf.tensor2d(Array.from(IDS, (id) => (id === PAD ? 0 : 1)), [3, WIDTH])
  const rows = tf.reshape(tf.gather(table, tf.tensor1d(Array.from(IDS, (id) => Math.max(id, 0)), 'int32')), [3, WIDTH, DIM])
  const sum = tf.sum(tf.mul(rows, tf.expandDims(mask, 2)), 1)
  return tf.div(sum, tf.expandDims(tf.maximum(tf.sum(mask, 1), 1), 1)) as tf.Tensor2D
}

describe('meanPoolRows', () => {
  it('averages the non-PAD rows of each example and pools an all-PAD example to zeros', () => {
    const table = SparseEmbedding.create(ROWS, DIM, new Rng(1))
    const pooled = meanPoolRows(table, IDS, WIDTH)
    const expected = tf.tidy(() => referencePool(tf.tensor2d(table.weights, [ROWS, DIM])).dataSync())
    expect(pooled.length).toBe(3 * DIM)
    for (let i = 0; i < pooled.length; i++) expect(pooled[i]).toBeCloseTo(expected[i], 6)
    expect([...pooled.subarray(DIM, 2 * DIM)]).toEqual(Array(DIM).fill(0))
  })

  it('backward adds the same row gradients as tfjs autodiff, scaled', () => {
    const table = SparseEmbedding.create(ROWS, DIM, new Rng(2))
    const rng = new Rng(3)
    const upstream = Float32Array.from({length: 3 * DIM}, () => rng.normal())
    meanPoolRowsBackward(table, IDS, WIDTH, upstream, 2)
    const {rows, values} = table.pendingGradients()
    const expected = tf.tidy(() => {
      const t = tf.tensor2d(table.weights, [ROWS, DIM])
      const g = tf.tensor2d(upstream, [3, DIM])
      const [grad] = tf.grads((x: tf.Tensor) => tf.mul(tf.sum(tf.mul(referencePool(x as tf.Tensor2D), g)), 2))([t])
      return grad.dataSync()
    })
    // Row 4 never appears; every other row does, once in the pending list.
    expect([...rows].sort()).toEqual([0, 1, 2, 3, 5, 6])
    rows.forEach((row, k) => {
      for (let j = 0; j < DIM; j++) expect(values[k * DIM + j]).toBeCloseTo(expected[row * DIM + j], 5)
    })
    for (let j = 0; j < DIM; j++) expect(expected[4 * DIM + j]).toBe(0)
  })

  it('rejects a ragged id matrix and ids outside the table', () => {
    const table = SparseEmbedding.create(ROWS, DIM, new Rng(1), {name: 'items'})
    expect(() => meanPoolRows(table, Int32Array.from([1, 2, 3]), 2)).toThrow(RecError)
    expect(() => meanPoolRows(table, Int32Array.from([1, 7]), 2)).toThrow(/items: row id 7 at position 1/)
    expect(() => meanPoolRowsBackward(table, Int32Array.from([1, 2]), 2, new Float32Array(DIM + 1))).toThrow(/pooled gradient/)
  })
})
