// DLRM's feature interactions: the dot product of every pair of embedding vectors, built from 2-D matMuls only.
import * as tf from '@tensorflow/tfjs'

import {matMul} from '../../engine/matmul.js'

/**
 * 0/1 matrices [k, P] whose column p picks the first (i) and second (j) vector of pair p, for the
 * P = k(k-1)/2 pairs i < j in row-major order. Selecting by matMul, not tf.gather: gather's
 * gradient needs UnsortedSegmentSum, which the wasm backend lacks.
 */
export function interactionSelectors(k: number): {first: tf.Tensor2D; second: tf.Tensor2D; pairs: number} {
  const pairs = (k * (k - 1)) / 2
  const first = new Float32Array(k * pairs)
  const second = new Float32Array(k * pairs)
  let p = 0
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++, p++) {
      first[i * pairs + p] = 1
      second[j * pairs + p] = 1
    }
  }
  return {first: tf.tensor2d(first, [k, pairs]), second: tf.tensor2d(second, [k, pairs]), pairs}
}

/**
 * vectors [B, k, d] -> [B, P] pairwise dot products. Transposed to [B * d, k] so that the pair
 * selection is one [B*d, k] x [k, P] product per side; then multiply and sum over d.
 */
export function pairwiseDots(vectors: tf.Tensor3D, selectors: {first: tf.Tensor2D; second: tf.Tensor2D; pairs: number}): tf.Tensor2D {
  const [b, k, d] = vectors.shape
  const columns = tf.reshape(tf.transpose(vectors, [0, 2, 1]), [b * d, k]) as tf.Tensor2D
  const left = matMul(columns, selectors.first)
  const right = matMul(columns, selectors.second)
  return tf.sum(tf.reshape(tf.mul(left, right), [b, d, selectors.pairs]), 1) as tf.Tensor2D
}
