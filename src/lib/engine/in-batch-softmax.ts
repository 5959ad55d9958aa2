// Softmax loss with in-batch negatives for two towers, fused so no pass over [n, c] runs beyond the essential.
import * as tf from '@tensorflow/tfjs'

import {RecError} from '../errors.js'

export interface InBatchSoftmaxOptions {
  /** Logits are (u . v) / temperature; default 1. */
  temperature?: number
  /** [n] column of row i's positive; default i (then c >= n). */
  positives?: Int32Array
  /**
   * [c] how many times each candidate was drawn, when a batch's repeated items are passed once:
   * every copy is a negative of every row, except that a row's own positive counts once (the
   * other copies are accidental hits, masked). Default 1 each. counts[x] must be at least the
   * number of rows whose positive is x.
   */
  counts?: Float32Array
  /** Added to column j's logit, [c]: e.g. -log q_j for logQ (sampling-bias) correction. */
  columnBias?: Float32Array
  /** Non-negative weight per row, [n]: the loss becomes sum_i w_i l_i / weightTotal. Default all 1. */
  rowWeights?: Float32Array
  /**
   * The weight sum of the whole batch when u holds only some of its rows (a data-parallel shard):
   * shards' losses and gradients then add up to the whole batch's. Default: the sum of rowWeights
   * (n without weights).
   */
  weightTotal?: number
  /**
   * The columns are a fixed candidate set (e.g. the whole catalogue), each item once, not draws:
   * several rows may then share a positive column with count 1 (full-softmax next-item training).
   */
  fixedColumns?: boolean
}

/**
 * Weighted mean over rows i of -log p'[i, pos_i], where p' is the softmax over every drawn copy
 * of every candidate, z = (u v^T) / temperature + columnBias, row i's repeated positive copies
 * masked. With counts, P = softmax(z + log counts) covers the copies at the cost of c columns, and
 * masking row i's extra copies rescales its row: a_i = (1 - 1/cnt_i) P[i, pos_i], s_i = 1/(1 - a_i),
 * p'[i, pos_i] = s_i P[i, pos_i] / cnt_i. The gradient w.r.t. z is G = s * P - E, E nonzero only at
 * (i, pos_i) with s_i a_i + 1, so with k_i = dy w_i / total and us = u / T:
 *   du = k (s (P v) - (s a + 1) v[pos]) / T,   dv = P^T (k s us) - scatter_pos((s a + 1) k us).
 * The [n, c] work is one matMul, Softmax and two matMuls back (never transposeA/B, ARCHITECTURE 7.2):
 * ~25 ms forward and backward at 1024 x 1024 x 64 on one wasm core, against ~390 ms for tfjs
 * autodiff of matMul(u, v, false, true) and logSoftmax; no [n, c] mask is built or uploaded.
 */
export function inBatchSoftmaxLoss(u: tf.Tensor2D, v: tf.Tensor2D, options: InBatchSoftmaxOptions = {}): tf.Scalar {
  const [n, d] = u.shape
  const c = v.shape[0]
  const {temperature = 1, columnBias, counts} = options
  if (v.shape[1] !== d || (!options.positives && c < n)) {
    throw new RecError('MISMATCH', `inBatchSoftmaxLoss: u is [${u.shape}] but v is [${v.shape}]; v needs the same width and, without positives, at least as many rows`)
  }
  if (!(temperature > 0)) throw new RecError('INVALID_ARGUMENT', `inBatchSoftmaxLoss: temperature ${temperature} must be > 0`)
  if (columnBias && columnBias.length !== c) throw new RecError('MISMATCH', `inBatchSoftmaxLoss: columnBias has ${columnBias.length} values for ${c} columns`)
  const positives = options.positives ?? Int32Array.from({length: n}, (_, i) => i)
  const copies = positiveCopies(positives, counts, c, options.fixedColumns ?? false)
  const share = rowShares(options.rowWeights, n, options.weightTotal)
  const bias = logitBias(columnBias, counts)
  const flat = Int32Array.from(positives, (p, i) => i * c + p)

  const loss = tf.customGrad((uIn, vIn, save) => {
    const us = temperature === 1 ? (uIn as tf.Tensor2D) : tf.mul(uIn as tf.Tensor2D, 1 / temperature)
    const vt = vIn as tf.Tensor2D
    let z: tf.Tensor2D = tf.matMul(us, tf.transpose(vt))
    if (bias) z = tf.add(z, tf.tensor1d(bias))
    const p = tf.softmax(z)
    ;(save as tf.GradSaveFunc)([us, vt, p])
    const {value, rowScale, positiveScale} = weightedNegLogPositive(z, p, flat, copies, share)
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [su, sv, sp] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]
        const index = tf.tensor2d(positives, [n, 1], 'int32')
        // [n, 1] factors: k s and k (s a + 1), folded with dy into one multiply each.
        const ks = tf.mul(dy, tf.tensor2d(rowScale, [n, 1]))
        const kp = tf.mul(dy, tf.tensor2d(positiveScale, [n, 1]))
        // gatherND and scatterND, not gather: tf.gather of [n, d] rows costs ~2 ms on wasm, these ~0.1 ms.
        const du = tf.div(tf.sub(tf.mul(tf.matMul(sp, sv), ks), tf.mul(tf.gatherND(sv, index), kp)), temperature)
        // P^T (k s us) as ((k s us)^T P)^T: a plain matMul after a thin transpose, not transposeA on [n, c].
        const ptu = tf.transpose(tf.matMul(tf.transpose(tf.mul(su, ks)), sp))
        return [du, tf.sub(ptu, tf.scatterND(index, tf.mul(su, kp), [c, d]))]
      },
    }
  })
  return loss(u, v)
}

/** [n] cnt of each row's positive, checking positives index columns and counts cover their rows. */
function positiveCopies(positives: Int32Array, counts: Float32Array | undefined, c: number, fixedColumns: boolean): Float32Array {
  if (counts && counts.length !== c) throw new RecError('MISMATCH', `inBatchSoftmaxLoss: counts has ${counts.length} values for ${c} columns`)
  const rowsOf = new Int32Array(c)
  for (let i = 0; i < positives.length; i++) {
    const p = positives[i]
    if (!(p >= 0 && p < c)) throw new RecError('INVALID_ARGUMENT', `inBatchSoftmaxLoss: positive column ${p} of row ${i} is outside [0, ${c})`)
    rowsOf[p]++
  }
  const copies = new Float32Array(positives.length)
  for (let i = 0; i < positives.length; i++) {
    const cnt = counts ? counts[positives[i]] : 1
    if (!fixedColumns && !(cnt >= rowsOf[positives[i]])) throw new RecError('INVALID_ARGUMENT', `inBatchSoftmaxLoss: column ${positives[i]} is the positive of ${rowsOf[positives[i]]} rows but its count is ${cnt}`)
    copies[i] = cnt
  }
  return copies
}

/** w_i / total ([n]); 1/n each without weights. */
function rowShares(weights: Float32Array | undefined, n: number, weightTotal: number | undefined): Float32Array {
  if (weights && weights.length !== n) throw new RecError('MISMATCH', `inBatchSoftmaxLoss: rowWeights has ${weights.length} values for ${n} rows`)
  let total = 0
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1
    if (!(w >= 0 && Number.isFinite(w))) throw new RecError('INVALID_ARGUMENT', `inBatchSoftmaxLoss: row weight ${w} at row ${i} must be finite and >= 0`)
    total += w
  }
  total = weightTotal ?? total
  if (!(total > 0 && Number.isFinite(total))) throw new RecError('INVALID_ARGUMENT', weightTotal === undefined ? 'inBatchSoftmaxLoss: row weights sum to 0' : `inBatchSoftmaxLoss: weightTotal ${weightTotal} must be > 0`)
  return weights ? weights.map((w) => w / total) : new Float32Array(n).fill(1 / total)
}

/** columnBias + log counts ([c]), or undefined when both are absent or trivial. */
function logitBias(columnBias: Float32Array | undefined, counts: Float32Array | undefined): Float32Array | undefined {
  const repeated = counts?.some((cnt) => cnt !== 1)
  if (!columnBias && !repeated) return undefined
  const bias = columnBias ? columnBias.slice() : new Float32Array(counts!.length)
  if (repeated) for (let j = 0; j < bias.length; j++) bias[j] += Math.log(counts![j])
  return bias
}

/**
 * The loss sum_i share_i * -log p'[i, pos_i], and the backward pass's per-row factors share_i s_i
 * and share_i (s_i a_i + 1). Usually from the n positive probabilities, read back and logged in JS
 * (saves two row maxima over [n, c], ~2 ms at 1024 x 1024); when one is below 1e-30 (float32
 * precision fades towards its 1e-38 floor), exactly through log P[i, pos] = z[i, pos] - max_j z[i, j]
 * + log max_j P[i, j], where the largest P is >= 1/c and never underflows.
 */
function weightedNegLogPositive(z: tf.Tensor2D, p: tf.Tensor2D, flat: Int32Array, copies: Float32Array, share: Float32Array): {value: tf.Scalar; rowScale: Float32Array; positiveScale: Float32Array} {
  const n = flat.length
  const index = tf.tensor1d(flat, 'int32')
  const picked = tf.gather(tf.reshape(p, [-1]), index).dataSync()
  const rowScale = new Float32Array(n)
  const positiveScale = new Float32Array(n)
  let sum = 0
  let masked = 0
  let smallest = Infinity
  for (let i = 0; i < n; i++) {
    const a = (1 - 1 / copies[i]) * picked[i]
    const s = 1 / (1 - a)
    rowScale[i] = share[i] * s
    positiveScale[i] = share[i] * (s * a + 1)
    // -log p' = -log P + log cnt + log(1 - a)
    masked += share[i] * (Math.log(copies[i]) + Math.log1p(-a))
    smallest = Math.min(smallest, picked[i])
    sum -= share[i] * Math.log(picked[i])
  }
  if (smallest >= 1e-30) return {value: tf.scalar(sum + masked), rowScale, positiveScale}
  const logP = tf.add(tf.sub(tf.gather(tf.reshape(z, [-1]), index), tf.max(z, 1)), tf.log(tf.max(p, 1)))
  return {value: tf.add(tf.neg(tf.sum(tf.mul(logP, tf.tensor1d(share)))), masked) as tf.Scalar, rowScale, positiveScale}
}
