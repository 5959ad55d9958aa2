// Weighted binary cross-entropy on logits for all heads at once, with a hand-written gradient.
import * as tf from '@tensorflow/tfjs'

/**
 * sum_b w_b sum_h [softplus(z_bh) - y_bh z_bh] / sum_b w_b, for logits z [B, H], labels y [B, H]
 * (0/1) and weights w [B, 1]. Stable form: softplus(z) = max(z, 0) + log1p(exp(-|z|)).
 * Gradient w_b (sigmoid(z) - y) / sum w, written out: autodiff of abs and max would add several
 * kernels to the backward pass for no benefit.
 */
export function weightedBinaryCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor2D, weights: tf.Tensor2D, weightSum: number): tf.Scalar {
  const loss = tf.customGrad((x, save) => {
    const z = x as tf.Tensor2D
    ;(save as tf.GradSaveFunc)([z])
    const softplus = tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))
    const perCell = tf.sub(softplus, tf.mul(labels, z))
    return {
      value: tf.div(tf.sum(tf.mul(perCell, weights)), weightSum) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.mul(tf.sub(tf.sigmoid(saved[0]), labels), weights), tf.div(dy, weightSum)),
    }
  })
  return loss(logits)
}
