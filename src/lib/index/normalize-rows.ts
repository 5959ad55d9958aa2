// Validates a [n, dim] matrix and returns an L2-normalised copy, so inner product equals cosine.
import {RecError} from '../errors.js'
import {normalizeRowsInPlace} from '../kernels/normalize.js'

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
  const zeroRows = normalizeRowsInPlace(matrix, dim, normalize)
  return {matrix, zeroRows}
}
