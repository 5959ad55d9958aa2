// Rows of a [m, d] tensor by index, differentiable without tf.gather's gradient (UnsortedSegmentSum, absent on wasm).
import * as tf from '@tensorflow/tfjs'

/**
 * out[i] = x[rows[i]] for x [m, d] -> [rows.length, d]. Forward gatherND, backward scatterND
 * (duplicate rows sum their gradients), both ~0.1 ms per 1k rows on wasm (ARCHITECTURE 7.1: tf.gather's
 * gradient has no wasm kernel). Used to keep only the real (non-PAD) positions of a sequence batch.
 */
export function selectRows(x: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  const [m, d] = x.shape
  // The index is built in each pass: a tensor made in the forward pass is released before the backward one runs.
  const index = () => tf.tensor2d(rows, [rows.length, 1], 'int32')
  const op = tf.customGrad((xIn) => ({
    value: tf.gatherND(xIn as tf.Tensor, index()) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor) => tf.scatterND(index(), dy, [m, d]),
  }))
  return op(x) as tf.Tensor2D
}
