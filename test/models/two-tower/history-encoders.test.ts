// Every history encoder against a textbook batch-major tfjs reference: output and item-row gradients, PAD prefixes included.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../../src/lib/engine/backend.js'
import {PAD} from '../../../src/lib/engine/mean-pool.js'
import {SparseEmbedding} from '../../../src/lib/engine/sparse-embedding.js'
import {attentionEncoder, gruEncoder, type HistoryEncoder, meanEncoder} from '../../../src/lib/models/two-tower/history-encoders.js'
import {Rng} from '../../../src/lib/random/rng.js'

const [B, L, D, ITEMS] = [5, 4, 6, 9]

/** The textbook GRU (gates z, r, n in the kernels' column blocks) over [B, L, d] rows with a [B, L] mask. */
function referenceGru(encoder: HistoryEncoder, x: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const v = encoder.variables
  const [wx, bx, wh, bh] = ['input.kernel', 'input.bias', 'recurrent.kernel', 'recurrent.bias'].map((n) => v[`encoder.gru.${n}`])
  let h = tf.zeros([B, D]) as tf.Tensor2D
  for (let t = 0; t < L; t++) {
    const xt = tf.reshape(tf.slice(x, [0, t, 0], [B, 1, D]), [B, D]) as tf.Tensor2D
    const [xz, xr, xn] = tf.split(tf.add(tf.matMul(xt, wx as tf.Tensor2D), bx), 3, 1)
    const [hz, hr, hn] = tf.split(tf.add(tf.matMul(h, wh as tf.Tensor2D), bh), 3, 1)
    const z = tf.sigmoid(tf.add(xz, hz))
    const r = tf.sigmoid(tf.add(xr, hr))
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)))
    const next = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h))
    const m = tf.slice(mask, [0, t], [B, 1])
    h = tf.add(tf.mul(m, next), tf.mul(tf.sub(1, m), h)) as tf.Tensor2D
  }
  return h
}

/** The textbook block: keys and values projected at every position, softmax over the real ones, read at the last. */
function referenceAttention(encoder: HistoryEncoder, x: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const v = (name: string) => encoder.variables[`encoder.attention.${name}`] as tf.Tensor2D
  const dense = (h: tf.Tensor, layer: string) => tf.add(tf.matMul(h as tf.Tensor2D, v(`${layer}.kernel`)), v(`${layer}.bias`))
  const withPosition = tf.add(x, v('position'))
  const flat = tf.reshape(withPosition, [B * L, D])
  const keys = tf.reshape(dense(flat, 'key'), [B, L, D])
  const values = tf.reshape(dense(flat, 'value'), [B, L, D])
  const last = tf.reshape(tf.slice(withPosition, [0, L - 1, 0], [B, 1, D]), [B, D])
  const q = dense(last, 'query')
  const scores = tf.div(tf.sum(tf.mul(tf.expandDims(q, 1), keys), 2), Math.sqrt(D))
  const weights = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, mask), -1e9)))
  const h = tf.add(last, tf.sum(tf.mul(tf.expandDims(weights, 2), values), 1))
  const out = tf.add(h, dense(tf.relu(dense(h, 'ffn.0')), 'ffn.1'))
  return tf.mul(out, tf.cast(tf.greater(tf.sum(mask, 1, true), 0), 'float32')) as tf.Tensor2D
}

/** Item-row gradients the encoder's backward leaves pending, as a dense [ITEMS, D] array. */
function pendingDense(items: SparseEmbedding): Float32Array {
  const {rows, values} = items.pendingGradients()
  const out = new Float32Array(ITEMS * D)
  rows.forEach((row, k) => out.set(values.subarray(k * D, k * D + D), row * D))
  items.clearGradients()
  return out
}

beforeAll(async () => {
  await initBackend('wasm')
})

describe('history encoders', () => {
  const rng = new Rng(17)
  // Right-aligned windows: row 0 full, row 1 with one PAD, row 3 all PAD, the others in between.
  const ids = Int32Array.from([1, 2, 3, 4, PAD, 5, 6, 7, PAD, PAD, 8, 1, PAD, PAD, PAD, PAD, PAD, PAD, PAD, 2])
  const weights = tf.tensor2d(Float32Array.from({length: B * D}, () => rng.normal()), [B, D])

  it.each(['mean', 'gru', 'attention'] as const)('%s: output and item gradients match the reference', (kind) => {
    const items = SparseEmbedding.create(ITEMS, D, new Rng(3))
    const encoder = kind === 'mean' ? meanEncoder() : kind === 'gru' ? gruEncoder(D, new Rng(4)) : attentionEncoder(D, L, new Rng(4))
    // The encoder as the model runs it: prepared parts as leaves, gradients back into the table.
    const input = encoder.prepare(items, ids, L)
    const parts = input.parts.map((p) => tf.variable(tf.tensor(p.values, p.shape)))
    const constants = input.constants.map((c) => tf.tensor(c.values, c.shape))
    const variables = Object.values(encoder.variables)
    const mine = tf.variableGrads(() => tf.sum(tf.mul(encoder.encode(parts, constants), weights)) as tf.Scalar, [...parts, ...variables])
    encoder.backward(items, ids, L, parts.map((p) => mine.grads[p.name].dataSync() as Float32Array))
    const myGrad = pendingDense(items)
    const myOut = tf.tidy(() => encoder.encode(parts, constants)).dataSync()

    // The reference: [B, L, d] rows and the [B, L] mask, autodiff to the rows, summed per item id.
    const rows = Float32Array.from({length: B * L * D}, (_, k) => (ids[Math.floor(k / D)] === PAD ? 0 : items.weights[ids[Math.floor(k / D)] * D + (k % D)]))
    const x = tf.variable(tf.tensor3d(rows, [B, L, D]))
    const mask = tf.tensor2d(Float32Array.from(ids, (id) => (id === PAD ? 0 : 1)), [B, L])
    const reference = (t: tf.Tensor3D): tf.Tensor2D => {
      if (kind === 'gru') return referenceGru(encoder, t, mask)
      if (kind === 'attention') return referenceAttention(encoder, t, mask)
      const counts = tf.maximum(tf.sum(mask, 1, true), 1)
      return tf.div(tf.sum(t, 1), counts) as tf.Tensor2D
    }
    const theirs = tf.variableGrads(() => tf.sum(tf.mul(reference(x), weights)) as tf.Scalar, [x, ...variables])
    const theirOut = tf.tidy(() => reference(x)).dataSync()
    const rowGrads = theirs.grads[x.name].dataSync()
    const theirGrad = new Float32Array(ITEMS * D)
    ids.forEach((id, k) => {
      if (id !== PAD) for (let j = 0; j < D; j++) theirGrad[id * D + j] += rowGrads[k * D + j]
    })

    for (let i = 0; i < myOut.length; i++) expect(myOut[i]).toBeCloseTo(theirOut[i], 5)
    for (let i = 0; i < myGrad.length; i++) expect(myGrad[i]).toBeCloseTo(theirGrad[i], 4)
    // The weights' gradients too; one the encoder never reaches (attention's key bias) is 0 in the reference.
    for (const [name, variable] of Object.entries(encoder.variables)) {
      const a = mine.grads[variable.name]?.dataSync() ?? new Float32Array(variable.size)
      const b = theirs.grads[variable.name].dataSync()
      for (let i = 0; i < a.length; i++) expect(a[i], name).toBeCloseTo(b[i], 4)
    }
    // The all-PAD row encodes to zeros.
    for (let j = 0; j < D; j++) expect(Math.abs(myOut[3 * D + j])).toBe(0)
    tf.dispose([...parts, ...constants, x, mask, mine.value, theirs.value, ...Object.values(mine.grads), ...Object.values(theirs.grads)])
  })
})
