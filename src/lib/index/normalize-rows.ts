// Validates a [n, dim] matrix and returns an L2-normalised copy, so inner product equals cosine.
import {RecError} from '../errors.js'

export interface NormalizedRows {
  /** [n, dim]; each row has unit norm, except all-zero rows, which stay zero. */
  matrix: Float32Array
  zeroRows: number
}

/** Throws BAD_DATA naming the row and dimension of the first non-finite value. */
export function assertFiniteRows(vectors: Float32Array, dim: number, what = 'vector'): void {
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) {
      throw new RecError('BAD_DATA', `${what} row ${Math.floor(i / dim)} has a non-finite value ${vectors[i]} at dimension ${i % dim}`, {
        hint: 'the model that produced these embeddings diverged; check its training log',
      })
    }
  }
}

/** `normalize: false` returns a checked copy unchanged, for models trained on raw inner products. */
export function normalizeRows(vectors: Float32Array, dim: number, normalize = true): NormalizedRows {
  assertFiniteRows(vectors, dim)
  const matrix = vectors.slice()
  let zeroRows = 0
  for (let base = 0; base < matrix.length; base += dim) {
    let sum = 0
    for (let j = 0; j < dim; j++) sum += matrix[base + j] * matrix[base + j]
    if (sum === 0) {
      zeroRows++
      continue
    }
    if (!normalize) continue
    const scale = 1 / Math.sqrt(sum)
    for (let j = 0; j < dim; j++) matrix[base + j] *= scale
  }
  return {matrix, zeroRows}
}
