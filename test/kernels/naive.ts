// The kernels written the plain way: the references every tuned kernel is checked against.

export function naiveDot(a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number, d: number): number {
  let s = 0
  for (let j = 0; j < d; j++) s += a[ia + j] * b[ib + j]
  return s
}

/** The k best rows of `scores` (NaN skipped), higher score first, ties to the smaller row: a full sort. */
export function naiveTopK(scores: ArrayLike<number>, k: number): number[] {
  const rows = Array.from({length: scores.length}, (_, i) => i).filter((i) => !Number.isNaN(scores[i]))
  rows.sort((a, b) => (scores[b] > scores[a] ? 1 : scores[b] < scores[a] ? -1 : a - b))
  return rows.slice(0, k)
}

export function naiveNormalize(v: ArrayLike<number>): number[] {
  const norm = Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0))
  return Array.from(v, (x) => (norm > 0 ? x / norm : x))
}

/** query . row r of a CSR matrix for every row, each row's dot summed in float64 over a dense copy of the query. */
export function naiveSparseDots(terms: ArrayLike<number>, weights: ArrayLike<number>, offsets: ArrayLike<number>, cols: ArrayLike<number>, values: ArrayLike<number>, nCols: number): number[] {
  const dense = new Float64Array(nCols)
  for (let k = 0; k < terms.length; k++) dense[terms[k]] += weights[k]
  const out: number[] = []
  for (let r = 0; r + 1 < offsets.length; r++) {
    let s = 0
    for (let e = offsets[r]; e < offsets[r + 1]; e++) s += dense[cols[e]] * values[e]
    out.push(s)
  }
  return out
}
