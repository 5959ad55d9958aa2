// Sum of an entity's categorical field embeddings (weighted rows per field), forward and backward in JS.
import type {SparseEmbedding} from '../../engine/sparse-embedding.js'
import type {EmbeddingField} from '../../features/entity-features.js'

/** A field paired with its table; the table has field.vocab.size rows. */
export interface BoundField {
  field: EmbeddingField
  table: SparseEmbedding
}

/** out[b] += sum over fields of sum_k weight_k * table[row_k] for entity rows[b]; out is [B, dim]. */
export function addFieldEmbeddings(fields: BoundField[], rows: Int32Array, dim: number, out: Float32Array): void {
  for (const {field, table} of fields) {
    const w = table.weights
    for (let b = 0; b < rows.length; b++) {
      const o = b * dim
      for (let k = field.offsets[rows[b]]; k < field.offsets[rows[b] + 1]; k++) {
        const weight = field.weights[k]
        for (let j = 0, p = field.rows[k] * dim; j < dim; j++, p++) out[o + j] += weight * w[p]
      }
    }
  }
}

/** Backward of addFieldEmbeddings: grad [B, dim] w.r.t. out is accumulated into each touched row. */
export function accumulateFieldGradients(fields: BoundField[], rows: Int32Array, dim: number, grad: Float32Array): void {
  for (const {field, table} of fields) {
    for (let b = 0; b < rows.length; b++) {
      for (let k = field.offsets[rows[b]]; k < field.offsets[rows[b] + 1]; k++) table.accumulateRow(field.rows[k], grad, b * dim, field.weights[k])
    }
  }
}

/** Rows [B, width] of a row-major matrix [n, width] for the given entity rows. */
export function gatherMatrixRows(matrix: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width)
  for (let b = 0; b < rows.length; b++) out.set(matrix.subarray(rows[b] * width, rows[b] * width + width), b * width)
  return out
}
