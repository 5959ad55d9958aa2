// Softmax cross-entropy with integer labels, built on tf.softmax so that no Exp runs over [n, c].
import * as tf from '@tensorflow/tfjs'

import {RecError} from '../errors.js'

/**
 * Mean over rows i of -log softmax(logits)[i, labels[i]] (logits [n, c], labels in [0, c)).
 * For in-batch negatives the labels are 0..n-1 (the diagonal).
 * Why not tf.logSoftmax: on wasm its Exp over 1024x1024 takes ~15 ms and runs again in the
 * backward pass, while the Softmax kernel takes ~3.5 ms. The loss needs no log of the whole
 * matrix: with M_i = max_j logits[i, j], log p[i, y] = logits[i, y] - M_i + log max_j p[i, j]
 * (the largest probability is >= 1/c, so its log never underflows). Gradient: (p - onehot) / n.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  const [n, c] = logits.shape
  if (labels.length !== n) throw new RecError('MISMATCH', `softmaxCrossEntropy: ${labels.length} labels for ${n} rows of logits`)
  const flat = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    if (!(labels[i] >= 0 && labels[i] < c)) throw new RecError('INVALID_ARGUMENT', `softmaxCrossEntropy: label ${labels[i]} at row ${i} is outside [0, ${c})`)
    flat[i] = i * c + labels[i]
  }
  const loss = tf.customGrad((x, save) => {
    const z = x as tf.Tensor2D
    const p = tf.softmax(z)
    ;(save as tf.GradSaveFunc)([p])
    const picked = tf.gather(tf.reshape(z, [-1]), tf.tensor1d(flat, 'int32'))
    const logP = tf.add(tf.sub(picked, tf.max(z, 1)), tf.log(tf.max(p, 1)))
    return {
      value: tf.neg(tf.mean(logP)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // oneHot is built as int32 and cast: the wasm OneHot kernel ignores dtype 'float32' and writes int bits.
        const oneHot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), c), 'float32')
        return tf.mul(tf.sub(saved[0], oneHot), tf.div(dy, n))
      },
    }
  })
  return loss(logits)
}
