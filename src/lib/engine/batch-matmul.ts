// Batched matrix product [n, a, k] x [n, k, b] whose gradient transposes explicitly instead of using matMul's transpose flags.
import * as tf from '@tensorflow/tfjs'

/**
 * `a @ b` per batch entry. As with engine/matmul.ts, autodiff of the builtin runs BatchMatMul with
 * transposeA/transposeB, which tfjs-wasm runs several times slower than a plain product; here the
 * operands are transposed once ([n, L, dh] and [n, L, L] in attention) and multiplied plainly.
 * For attention scores write batchMatMul(q, tf.transpose(k, [0, 2, 1])).
 */
export const batchMatMul = tf.customGrad((aIn, bIn, save) => {
  const a = aIn as tf.Tensor3D
  const b = bIn as tf.Tensor3D
  ;(save as tf.GradSaveFunc)([a, b])
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D]
      const d = dy as tf.Tensor3D
      return [tf.matMul(d, tf.transpose(sb, [0, 2, 1])), tf.matMul(tf.transpose(sa, [0, 2, 1]), d)]
    },
  }
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D
