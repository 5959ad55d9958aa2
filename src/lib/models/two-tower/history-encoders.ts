// User-history encoders: mean-pool, GRU, causal self-attention; each turns [B, L] item ids into [B, dim].
import * as tf from '@tensorflow/tfjs'

import {createDense, dense, type DenseLayer} from '../../engine/dense.js'
import {meanPoolRows, meanPoolRowsBackward, PAD} from '../../engine/mean-pool.js'
import type {SparseEmbedding} from '../../engine/sparse-embedding.js'
import type {Rng} from '../../random/rng.js'

/** What an encoder reads: a tensor built in JS from the item table, and how its gradient flows back. */
export interface HistoryInput {
  /** mean: [B, dim] pooled; gru/attention: [B, L, dim] rows (zeros at PAD). */
  values: Float32Array
  shape: number[]
  /** [B, L] 1 for a real item, 0 for PAD (sequence encoders only). */
  mask?: Float32Array
}

export interface HistoryEncoder {
  kind: 'mean' | 'gru' | 'attention'
  /** Trainable tensors by checkpoint name. */
  variables: Record<string, tf.Variable>
  /** ids: [B, L] right-aligned (most recent last), PAD = -1 before the first item. */
  prepare(items: SparseEmbedding, ids: Int32Array, length: number): HistoryInput
  /** [B, dim]; runs inside the gradient tape. */
  encode(input: tf.Tensor, mask: tf.Tensor2D | undefined): tf.Tensor2D
  /** Adds the gradient w.r.t. the prepared input into the item table's pending rows. */
  backward(items: SparseEmbedding, ids: Int32Array, length: number, grad: Float32Array): void
}

/** Mean of the history rows: computed and differentiated in JS, the encoder itself has no weights. */
export function meanEncoder(): HistoryEncoder {
  return {
    kind: 'mean',
    variables: {},
    prepare: (items, ids, length) => ({values: meanPoolRows(items, ids, length), shape: [ids.length / length, items.dim]}),
    encode: (input) => input as tf.Tensor2D,
    backward: (items, ids, length, grad) => meanPoolRowsBackward(items, ids, length, grad),
  }
}

function sequenceInput(items: SparseEmbedding, ids: Int32Array, length: number): HistoryInput {
  const d = items.dim
  const values = new Float32Array(ids.length * d)
  const mask = new Float32Array(ids.length)
  for (let k = 0; k < ids.length; k++) {
    if (ids[k] === PAD) continue
    mask[k] = 1
    values.set(items.weights.subarray(ids[k] * d, ids[k] * d + d), k * d)
  }
  return {values, shape: [ids.length / length, length, d], mask}
}

function sequenceBackward(items: SparseEmbedding, ids: Int32Array, _length: number, grad: Float32Array): void {
  for (let k = 0; k < ids.length; k++) if (ids[k] !== PAD) items.accumulateRow(ids[k], grad, k * items.dim, 1)
}

function variablesOf(layers: DenseLayer[]): Record<string, tf.Variable> {
  return Object.fromEntries(layers.flatMap((l) => [[`${l.name}.kernel`, l.kernel as tf.Variable], [`${l.name}.bias`, l.bias as tf.Variable]]))
}

/**
 * GRU over the window (as in GRU4Rec and news recommenders): PAD steps leave the state unchanged,
 * so right-aligned windows of any length end in the state after the most recent item.
 */
export function gruEncoder(dim: number, rng: Rng): HistoryEncoder {
  const input = createDense('encoder.gru.input', dim, 3 * dim, rng.fork(1))
  const recurrent = createDense('encoder.gru.recurrent', dim, 3 * dim, rng.fork(2))
  return {
    kind: 'gru',
    variables: variablesOf([input, recurrent]),
    prepare: sequenceInput,
    backward: sequenceBackward,
    encode(x, mask) {
      const [b, length, d] = x.shape
      // All input projections in one [B*L, d] x [d, 3d] product, then L cheap recurrent steps.
      const projected = tf.reshape(dense(tf.reshape(x, [b * length, d]) as tf.Tensor2D, input), [b, length, 3 * d])
      const steps = tf.unstack(projected, 1) as tf.Tensor2D[]
      const masks = tf.unstack(tf.expandDims(mask!, 2), 1) as tf.Tensor2D[]
      let h = tf.zeros([b, d]) as tf.Tensor2D
      for (let t = 0; t < length; t++) {
        const [xz, xr, xn] = tf.split(steps[t], 3, 1)
        const [hz, hr, hn] = tf.split(dense(h, recurrent), 3, 1)
        const z = tf.sigmoid(tf.add(xz, hz))
        const r = tf.sigmoid(tf.add(xr, hr))
        // tanh(a) = 2 sigmoid(2a) - 1: wasm's tanh with its gradient costs ~4x a sigmoid on [1024, 64].
        const n = tf.sub(tf.mul(tf.sigmoid(tf.mul(tf.add(xn, tf.mul(r, hn)), 2)), 2), 1)
        const next = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h))
        h = tf.add(tf.mul(masks[t], next), tf.mul(tf.sub(1, masks[t]), h)) as tf.Tensor2D
      }
      return h
    },
  }
}

/**
 * One causal self-attention block (SASRec) read at the most recent position. With one block only
 * that position's query reaches the output, so the cost is O(B * L * d), not O(B * L^2 * d).
 */
export function attentionEncoder(dim: number, length: number, rng: Rng): HistoryEncoder {
  const position = tf.variable(tf.randomNormal([length, dim], 0, 1 / Math.sqrt(dim), 'float32', rng.fork(3).nextU32()))
  const query = createDense('encoder.attention.query', dim, dim, rng.fork(4))
  const key = createDense('encoder.attention.key', dim, dim, rng.fork(5))
  const value = createDense('encoder.attention.value', dim, dim, rng.fork(6))
  const ffn1 = createDense('encoder.attention.ffn.0', dim, dim, rng.fork(7))
  const ffn2 = createDense('encoder.attention.ffn.1', dim, dim, rng.fork(8))
  return {
    kind: 'attention',
    variables: {'encoder.attention.position': position, ...variablesOf([query, key, value, ffn1, ffn2])},
    prepare: sequenceInput,
    backward: sequenceBackward,
    encode(x, mask) {
      const [b, l, d] = x.shape
      const withPosition = tf.add(x, tf.slice(position, [length - l, 0], [l, d]))
      const flat = tf.reshape(withPosition, [b * l, d]) as tf.Tensor2D
      const keys = tf.reshape(dense(flat, key), [b, l, d])
      const values = tf.reshape(dense(flat, value), [b, l, d])
      const last = tf.reshape(tf.slice(withPosition, [0, l - 1, 0], [b, 1, d]), [b, d]) as tf.Tensor2D
      const q = dense(last, query)
      const scores = tf.div(tf.sum(tf.mul(tf.expandDims(q, 1), keys), 2), Math.sqrt(d)) // [B, L]
      const weights = tf.softmax(tf.add(scores, tf.mul(tf.sub(1, mask!), -1e9)))
      const attended = tf.sum(tf.mul(tf.expandDims(weights, 2), values), 1) as tf.Tensor2D // [B, d]
      const h = tf.add(last, attended) as tf.Tensor2D
      const out = tf.add(h, dense(tf.relu(dense(h, ffn1)), ffn2))
      // A user with no history gets a zero vector, as under mean-pooling.
      const hasHistory = tf.cast(tf.greater(tf.sum(mask!, 1, true), 0), 'float32')
      return tf.mul(out, hasHistory) as tf.Tensor2D
    },
  }
}

export function createHistoryEncoder(kind: HistoryEncoder['kind'], dim: number, length: number, rng: Rng): HistoryEncoder {
  if (kind === 'gru') return gruEncoder(dim, rng)
  if (kind === 'attention') return attentionEncoder(dim, length, rng)
  return meanEncoder()
}
