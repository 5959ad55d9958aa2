// User-history encoders: mean-pool, GRU, causal self-attention; each turns [B, L] item ids into [B, dim].
import * as tf from '@tensorflow/tfjs'

import {createDense, dense, type DenseLayer} from '../../engine/dense.js'
import {matMul} from '../../engine/matmul.js'
import {dotRows, weightRows} from '../../engine/row-dots.js'
import {meanPoolRows, meanPoolRowsBackward, PAD} from '../../engine/mean-pool.js'
import type {SparseEmbedding} from '../../engine/sparse-embedding.js'
import type {Rng} from '../../random/rng.js'
import {transformerEncoder} from './transformer-encoder.js'

/** Values and shape of a tensor built in JS. */
export interface TensorData {
  values: Float32Array
  shape: number[]
}

/** What an encoder reads, built in JS from the item table. */
export interface HistoryInput {
  /** Differentiable inputs (leaves of the gradient tape): their gradients flow back to item rows. */
  parts: TensorData[]
  /** Constant inputs (PAD masks). */
  constants: TensorData[]
}

export interface HistoryEncoder {
  kind: 'mean' | 'gru' | 'attention' | 'transformer'
  /** Trainable tensors by checkpoint name. */
  variables: Record<string, tf.Variable>
  /** ids: [B, L] right-aligned (most recent last), PAD = -1 before the first item. */
  prepare(items: SparseEmbedding, ids: Int32Array, length: number): HistoryInput
  /** [B, dim] from tensors of the prepared parts and constants; runs inside the gradient tape. */
  encode(parts: tf.Tensor[], constants: tf.Tensor[]): tf.Tensor2D
  /** Adds the gradients w.r.t. the prepared parts into the item table's pending rows. */
  backward(items: SparseEmbedding, ids: Int32Array, length: number, grads: Float32Array[]): void
  /**
   * Sequence encoders only: [B, L, dim], the output at every position of the window (position l reads
   * positions <= l), for training on every next-item target at once. `dropoutSeed` turns dropout on.
   */
  encodeSequence?(parts: tf.Tensor[], constants: tf.Tensor[], options: {dropoutSeed?: number}): tf.Tensor3D
}

/** Mean of the history rows: computed and differentiated in JS, the encoder itself has no weights. */
export function meanEncoder(): HistoryEncoder {
  return {
    kind: 'mean',
    variables: {},
    prepare: (items, ids, length) => ({parts: [{values: meanPoolRows(items, ids, length), shape: [ids.length / length, items.dim]}], constants: []}),
    encode: ([pooled]) => pooled as tf.Tensor2D,
    backward: (items, ids, length, [grad]) => meanPoolRowsBackward(items, ids, length, grad),
  }
}

export function variablesOf(layers: DenseLayer[]): Record<string, tf.Variable> {
  return Object.fromEntries(layers.flatMap((l) => [[`${l.name}.kernel`, l.kernel as tf.Variable], [`${l.name}.bias`, l.bias as tf.Variable]]))
}

/**
 * GRU over the window (as in GRU4Rec and news recommenders): PAD steps leave the state unchanged,
 * so right-aligned windows of any length end in the state after the most recent item.
 * It runs on transposed [dim, B] states, with one input tensor and one mask per step and one
 * [d, d] block per gate, because on wasm (B = 1024, L = 50, d = 64) unstacking a [50, 1024, 192]
 * tensor takes ~1 s (every slice copies its whole input), splitting gate columns ~0.7 ms and
 * reducing a bias gradient over rows ~1.6 ms, while a [d, 1] bias gradient (a sum over the last
 * axis) and a transpose of [64, 1024] cost ~0.05 ms. One step (1024 x 50) takes ~0.5 s of CPU,
 * ~2.4 s before; matMuls are ~70% of it.
 */
export function gruEncoder(dim: number, rng: Rng): HistoryEncoder {
  const input = createDense('encoder.gru.input', dim, 3 * dim, rng.fork(1))
  const recurrent = createDense('encoder.gru.recurrent', dim, 3 * dim, rng.fork(2))
  return {
    kind: 'gru',
    variables: variablesOf([input, recurrent]),
    prepare: transposedSteps,
    backward: transposedStepsBackward,
    encode(xs, masks) {
      const [d, b] = xs[0].shape
      // Gate blocks z, r, n of the [d, 3d] kernels, transposed once per batch to [d, d] each.
      const gates = (layer: DenseLayer) => [0, 1, 2].map((g) => tf.transpose(tf.slice(layer.kernel, [0, g * d], [d, d])) as tf.Tensor2D)
      const biases = (layer: DenseLayer) => [0, 1, 2].map((g) => tf.reshape(tf.slice(layer.bias, [g * d], [d]), [d, 1]))
      const [wxz, wxr, wxn] = gates(input)
      const [whz, whr, whn] = gates(recurrent)
      const [bxz, bxr, bxn] = biases(input)
      const [bhz, bhr, bhn] = biases(recurrent)
      const [bz, br] = [tf.add(bxz, bhz), tf.add(bxr, bhr)]
      let h = tf.zeros([d, b]) as tf.Tensor2D
      for (let t = 0; t < xs.length; t++) {
        const x = xs[t] as tf.Tensor2D
        const z = tf.sigmoid(tf.add(tf.add(matMul(wxz, x), matMul(whz, h)), bz))
        const r = tf.sigmoid(tf.add(tf.add(matMul(wxr, x), matMul(whr, h)), br))
        const pre = tf.add(tf.add(matMul(wxn, x), bxn), tf.mul(r, tf.add(matMul(whn, h), bhn)))
        // tanh(a) = 2 sigmoid(2a) - 1: wasm's tanh with its gradient costs ~4x a sigmoid on [1024, 64].
        const n = tf.sub(tf.mul(tf.sigmoid(tf.mul(pre, 2)), 2), 1)
        // h' = (1 - z) n + z h, taken only at real steps: h += mask (1 - z) (n - h); mask is [d, B].
        h = tf.add(h, tf.mul(tf.mul(masks[t], tf.sub(1, z)), tf.sub(n, h))) as tf.Tensor2D
      }
      return tf.transpose(h) as tf.Tensor2D
    },
  }
}

/** Per step t of [B, L] ids: the items' rows as [d, B] (columns = batch) and a [d, B] mask (1 = real item). */
function transposedSteps(items: SparseEmbedding, ids: Int32Array, length: number): HistoryInput {
  const d = items.dim
  const b = ids.length / length
  const w = items.weights
  const parts: TensorData[] = []
  const constants: TensorData[] = []
  const offsets = new Int32Array(b)
  for (let t = 0; t < length; t++) {
    const values = new Float32Array(d * b)
    const mask = new Float32Array(d * b)
    for (let i = 0; i < b; i++) {
      const id = ids[i * length + t]
      offsets[i] = id === PAD ? -1 : id * d
      mask[i] = id === PAD ? 0 : 1
    }
    for (let j = 1; j < d; j++) mask.copyWithin(j * b, 0, b)
    // Row by row of the output, so writes are sequential (4x faster than scattering each item's column).
    for (let j = 0; j < d; j++) {
      for (let i = 0, o = j * b; i < b; i++) if (offsets[i] >= 0) values[o + i] = w[offsets[i] + j]
    }
    parts.push({values, shape: [d, b]})
    constants.push({values: mask, shape: [d, b]})
  }
  return {parts, constants}
}

function transposedStepsBackward(items: SparseEmbedding, ids: Int32Array, length: number, grads: Float32Array[]): void {
  const d = items.dim
  const b = ids.length / length
  const rows = new Float32Array(b * d)
  for (let t = 0; t < length; t++) {
    const grad = grads[t]
    for (let j = 0; j < d; j++) for (let i = 0, o = j * b; i < b; i++) rows[i * d + j] = grad[o + i]
    for (let i = 0; i < b; i++) if (ids[i * length + t] !== PAD) items.accumulateRow(ids[i * length + t], rows, i * d, 1)
  }
}

/** [B, L, d] rows of [B, L] ids (zeros at PAD) and the [B, L] mask. */
export function sequenceInput(items: SparseEmbedding, ids: Int32Array, length: number): HistoryInput {
  const d = items.dim
  const values = new Float32Array(ids.length * d)
  const mask = new Float32Array(ids.length)
  for (let k = 0; k < ids.length; k++) {
    if (ids[k] === PAD) continue
    mask[k] = 1
    values.set(items.weights.subarray(ids[k] * d, ids[k] * d + d), k * d)
  }
  const b = ids.length / length
  return {parts: [{values, shape: [b, length, d]}], constants: [{values: mask, shape: [b, length]}]}
}

export function sequenceBackward(items: SparseEmbedding, ids: Int32Array, _length: number, [grad]: Float32Array[]): void {
  for (let k = 0; k < ids.length; k++) if (ids[k] !== PAD) items.accumulateRow(ids[k], grad, k * items.dim, 1)
}

/**
 * One causal self-attention block (SASRec) read at the most recent position. With one block only
 * that position's query reaches the output, so the cost is O(B * L * d), not O(B * L^2 * d).
 * With x_l the window rows plus position embeddings p_l and q the last row's query:
 *   score_l = q . (x_l Wk + bk) / sqrt(d) = (q Wk^T) . x_l / sqrt(d) + const   (q . bk cancels in the softmax)
 *   attended = sum_l w_l (x_l Wv + bv) = (sum_l w_l x_l) Wv + bv                 (the weights sum to 1)
 * so keys and values are never projected at all L positions: on wasm their [B*L, d] products and
 * gradients took ~90% of a 450 ms step at B = 1024, L = 50. The position terms are the small
 * products (q Wk^T) P^T and w P. The last row arrives as its own input, so no [B, L, d] slice is taken.
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
    prepare(items, ids, length) {
      const input = sequenceInput(items, ids, length)
      const d = items.dim
      const b = ids.length / length
      const last = new Float32Array(b * d)
      for (let i = 0; i < b; i++) last.set(input.parts[0].values.subarray(((i + 1) * length - 1) * d, (i + 1) * length * d), i * d)
      return {parts: [...input.parts, {values: last, shape: [b, d]}], constants: input.constants}
    },
    backward(items, ids, length, [rows, last]) {
      sequenceBackward(items, ids, length, [rows])
      const b = ids.length / length
      for (let i = 0; i < b; i++) if (ids[(i + 1) * length - 1] !== PAD) items.accumulateRow(ids[(i + 1) * length - 1], last, i * items.dim, 1)
    },
    encode([xIn, lastIn], [maskIn]) {
      const x = xIn as tf.Tensor3D
      const mask = maskIn as tf.Tensor2D
      const [, l, d] = x.shape
      const p = tf.slice(position, [length - l, 0], [l, d]) as tf.Tensor2D // [L, d]
      const last = tf.add(lastIn, tf.slice(p, [l - 1, 0], [1, d])) as tf.Tensor2D
      const qk = matMul(dense(last, query), tf.transpose(key.kernel)) // [B, d]
      const scores = tf.add(dotRows(x, qk), matMul(qk, tf.transpose(p))) // [B, L]
      const weights = tf.softmax(tf.add(tf.div(scores, Math.sqrt(d)), tf.mul(tf.sub(1, mask), -1e9)))
      const pooled = tf.add(weightRows(weights as tf.Tensor2D, x), matMul(weights as tf.Tensor2D, p)) // [B, d]
      const h = tf.add(last, dense(pooled as tf.Tensor2D, value)) as tf.Tensor2D
      const out = tf.add(h, dense(tf.relu(dense(h, ffn1)), ffn2))
      // A user with no history gets a zero vector, as under mean-pooling.
      const hasHistory = tf.cast(tf.greater(tf.sum(mask, 1, true), 0), 'float32')
      return tf.mul(out, hasHistory) as tf.Tensor2D
    },
  }
}

/** Shape of the transformer encoder (config keys blocks, heads, dropout). */
export interface TransformerShape {
  blocks: number
  heads: number
  dropout: number
}

export function createHistoryEncoder(kind: HistoryEncoder['kind'], dim: number, length: number, rng: Rng, transformer: TransformerShape = {blocks: 2, heads: 1, dropout: 0.2}): HistoryEncoder {
  if (kind === 'transformer') return transformerEncoder(dim, length, transformer, rng)
  if (kind === 'gru') return gruEncoder(dim, rng)
  if (kind === 'attention') return attentionEncoder(dim, length, rng)
  return meanEncoder()
}
