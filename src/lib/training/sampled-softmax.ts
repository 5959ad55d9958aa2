// The retrieval task: in-batch sampled softmax with temperature, logQ correction and duplicate masking.
import * as tf from '@tensorflow/tfjs'

import {matMul} from '../engine/matmul.js'

/** Column facts of one batch, computed in JS: which columns repeat a row's positive, and log q per column. */
export interface SoftmaxColumns {
  /** Item row of each column [C]; the first B columns are the batch's own positives. */
  items: Int32Array
  /** log sampling probability per column, subtracted from the logits (logQ correction); undefined = off. */
  logQ?: Float32Array
}

const MASKED = -1e9

/**
 * An additive [B, C] mask hiding every column whose item equals row b's positive, except column b
 * itself: an in-batch duplicate of the positive is not a negative. Undefined when there is none.
 */
export function duplicateMask(columns: Int32Array, batch: number): Float32Array | undefined {
  const firstColumn = new Map<number, number[]>()
  for (let c = 0; c < columns.length; c++) {
    const list = firstColumn.get(columns[c])
    if (list) list.push(c)
    else firstColumn.set(columns[c], [c])
  }
  let mask: Float32Array | undefined
  for (let b = 0; b < batch; b++) {
    const same = firstColumn.get(columns[b])!
    if (same.length === 1) continue
    mask ??= new Float32Array(batch * columns.length)
    for (const c of same) if (c !== b) mask[b * columns.length + c] = MASKED
  }
  return mask
}

/**
 * Weighted softmax cross-entropy with row b's label in column b:
 * loss = sum_b w_b * -log softmax(logits)[b, b] / sum_b w_b.
 * Gradient (p - onehot) * w_b / sum w, without a log-softmax over the whole [B, C] matrix
 * (wasm's Exp over 1024 x 1024 costs ~15 ms; Softmax ~3.5 ms).
 */
export function diagonalSoftmaxLoss(logits: tf.Tensor2D, weights: Float32Array): tf.Scalar {
  const [n, c] = logits.shape
  let total = 0
  for (let i = 0; i < n; i++) total += weights[i]
  const diagonal = tf.tensor1d(Int32Array.from({length: n}, (_, i) => i * c + i), 'int32')
  const loss = tf.customGrad((x, save) => {
    const z = x as tf.Tensor2D
    const p = tf.softmax(z)
    // Created inside the forward pass and saved, so the tape keeps it alive for the backward pass.
    const scale = tf.tensor2d(weights.map((w) => w / total), [n, 1])
    ;(save as tf.GradSaveFunc)([p, scale])
    const picked = tf.gather(tf.reshape(z, [-1]), diagonal)
    const logP = tf.add(tf.sub(picked, tf.max(z, 1)), tf.log(tf.max(p, 1)))
    return {
      value: tf.neg(tf.sum(tf.mul(logP, tf.reshape(scale, [n])))) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // int32 oneHot then cast: wasm's oneHot with dtype 'float32' writes integer bit patterns (1 -> 1.4e-45).
        const oneHot = tf.cast(tf.oneHot(tf.range(0, n, 1, 'int32'), c), 'float32')
        return tf.mul(tf.mul(tf.sub(saved[0], oneHot), saved[1]), dy)
      },
    }
  })
  return loss(logits)
}

/** logits = users . items^T / temperature - logQ + mask, then the weighted diagonal loss. */
export function sampledSoftmaxLoss(users: tf.Tensor2D, items: tf.Tensor2D, temperature: number, logQ: tf.Tensor | undefined, mask: tf.Tensor | undefined, weights: Float32Array): tf.Scalar {
  let logits = tf.div(matMul(users, tf.transpose(items)), temperature) as tf.Tensor2D
  if (logQ) logits = tf.sub(logits, logQ) as tf.Tensor2D
  if (mask) logits = tf.add(logits, mask) as tf.Tensor2D
  return diagonalSoftmaxLoss(logits, weights)
}
