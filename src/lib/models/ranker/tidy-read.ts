// Runs tfjs ops and reads the result back into JS, releasing every tensor.
import * as tf from '@tensorflow/tfjs'

/**
 * tf.tidy(fn) then dataSync outside the tidy. Returning the typed array from inside tf.tidy makes
 * tidy walk it element by element looking for tensors: 18-55 ms for a [500, 128] result here,
 * against 0.4 ms for the read itself.
 */
export function tidyRead(fn: () => tf.Tensor): Float32Array {
  const tensor = tf.tidy(fn)
  const values = tensor.dataSync() as Float32Array
  tensor.dispose()
  return values
}
