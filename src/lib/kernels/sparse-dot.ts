// Sparse query x sparse matrix: scores of every row for one sparse query, through the matrix's columns (term -> rows).

/**
 * Adds query . row r to out[outOffset + r] for every row r of a sparse matrix given by columns
 * (CSC: column t holds rows[colOffsets[t]..colOffsets[t+1]) with `values`), for the query's
 * (terms[k], weights[k]), k < n. Only the rows sharing a term with the query are touched: the cost is
 * the summed length of the query's columns, not the matrix size (for a TF-IDF profile of ~500 terms
 * against 100k items, tens of thousands of multiply-adds instead of the 2M of a scan of every row).
 * Each row's sum is accumulated in query-term order in float32, so equal inputs give equal bits.
 * `out` is not cleared first.
 */
export function scatterSparseDots(terms: Int32Array, weights: Float32Array, n: number, colOffsets: Int32Array, rows: Int32Array, values: Float32Array, out: Float32Array, outOffset: number): void {
  for (let k = 0; k < n; k++) {
    const t = terms[k]
    const w = weights[k]
    const end = colOffsets[t + 1]
    for (let e = colOffsets[t]; e < end; e++) out[outOffset + rows[e]] += w * values[e]
  }
}

/** The columns of a CSR matrix [nRows, nCols] (CSC), rows ascending within each column. */
export function transposeSparse(offsets: Int32Array, cols: Int32Array, values: Float32Array, nCols: number): {offsets: Int32Array; rows: Int32Array; values: Float32Array} {
  const nRows = offsets.length - 1
  const colOffsets = new Int32Array(nCols + 1)
  for (let e = 0; e < cols.length; e++) colOffsets[cols[e] + 1]++
  for (let t = 0; t < nCols; t++) colOffsets[t + 1] += colOffsets[t]
  const cursor = colOffsets.slice(0, nCols)
  const rows = new Int32Array(cols.length)
  const out = new Float32Array(cols.length)
  for (let r = 0; r < nRows; r++) {
    for (let e = offsets[r]; e < offsets[r + 1]; e++) {
      const p = cursor[cols[e]]++
      rows[p] = r
      out[p] = values[e]
    }
  }
  return {offsets: colOffsets, rows, values: out}
}

/**
 * out[i] = dense . row rows[i] of a CSR matrix (offsets, cols, values): a sparse row against a dense vector
 * (a profile scattered over the terms), for a few hundred candidates without scanning the catalogue.
 */
export function gatherSparseDots(dense: Float32Array, offsets: Int32Array, cols: Int32Array, values: Float32Array, rows: ArrayLike<number>, out = new Float64Array(rows.length)): Float64Array {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    let sum = 0
    for (let e = offsets[r]; e < offsets[r + 1]; e++) sum += dense[cols[e]] * values[e]
    out[i] = sum
  }
  return out
}
