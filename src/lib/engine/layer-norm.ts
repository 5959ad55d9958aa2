// Layer normalisation over the last axis of [n, d] rows, with an explicit gradient (one pass of broadcasts, no Pow kernels).
import * as tf from '@tensorflow/tfjs'

const EPSILON = 1e-5

/**
 * y = (x - mean) / sqrt(var + 1e-5) * gamma + beta per row (PyTorch's LayerNorm, biased variance).
 * With xhat the normalised row and r = 1 / sqrt(var + eps), the gradient is
 *   dx = r (g - mean(g) - xhat mean(g xhat)),  g = dy gamma;  dgamma = sum_rows(dy xhat);  dbeta = sum_rows(dy).
 */
export const layerNorm = tf.customGrad((xIn, gammaIn, betaIn, save) => {
  const x = xIn as tf.Tensor2D
  const gamma = gammaIn as tf.Tensor1D
  const centred = tf.sub(x, tf.mean(x, 1, true))
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), 1, true), EPSILON)) // [n, 1]
  const xhat = tf.mul(centred, rstd)
  ;(save as tf.GradSaveFunc)([xhat, rstd, gamma])
  return {
    value: tf.add(tf.mul(xhat, gamma), betaIn as tf.Tensor1D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sr, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D]
      const g = tf.mul(dy, sg)
      const dx = tf.mul(sr, tf.sub(tf.sub(g, tf.mean(g, 1, true)), tf.mul(sx, tf.mean(tf.mul(g, sx), 1, true))))
      return [dx, tf.sum(tf.mul(dy, sx), 0), tf.sum(dy, 0)]
    },
  }
}) as (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D
