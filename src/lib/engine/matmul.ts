// Matrix product whose gradient avoids matMul's transpose flags, which tfjs-wasm runs about 10x slower.
import * as tf from '@tensorflow/tfjs'

/**
 * `a @ b` for a [n, k] and b [k, m]. Autodiff of the builtin computes da = dy @ b^T and
 * db = a^T @ dy with transposeA/transposeB, which on wasm cost 90-350 ms for 1024x1024 operands
 * against 5-8 ms for a plain matMul. Here the operands are transposed explicitly (a and b are the
 * thin ones in a model: [batch, dim] activations and [in, out] weights), never the [n, m] dy.
 * For similarity logits write matMul(u, tf.transpose(v)): transposing [batch, dim] costs ~0.4 ms.
 */
export const matMul = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D
  const y = b as tf.Tensor2D
  ;(save as tf.GradSaveFunc)([x, y])
  return {
    value: tf.matMul(x, y),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D]
      const d = dy as tf.Tensor2D
      return [tf.matMul(d, tf.transpose(sb)), tf.matMul(tf.transpose(sa), d)]
    },
  }
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D
