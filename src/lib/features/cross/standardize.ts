// Column standardisation with statistics fitted on train rows and stored in the checkpoint.

/** Per-column mean and standard deviation (1 where a column is constant). */
export interface Standardizer {
  names: string[]
  mean: number[]
  std: number[]
}

/** Fits on `values` [n, names.length] row-major (float64 sums: 1M rows stay exact enough). */
export function fitStandardizer(names: string[], values: Float32Array): Standardizer {
  const k = names.length
  const n = k > 0 ? values.length / k : 0
  const sum = new Float64Array(k)
  const sq = new Float64Array(k)
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      const v = values[r * k + j]
      sum[j] += v
      sq[j] += v * v
    }
  }
  const mean = Array.from(sum, (s) => (n > 0 ? s / n : 0))
  const std = Array.from(sq, (s, j) => (n > 0 ? Math.sqrt(Math.max(s / n - mean[j] * mean[j], 0)) : 0) || 1)
  return {names: [...names], mean, std}
}

/** values[r * stride + offset + j] = (v - mean[j]) / std[j] for every row r. */
export function standardizeColumns(values: Float32Array, rows: number, stride: number, offset: number, s: Standardizer): void {
  const k = s.names.length
  for (let r = 0; r < rows; r++) {
    const base = r * stride + offset
    for (let j = 0; j < k; j++) values[base + j] = (values[base + j] - s.mean[j]) / s.std[j]
  }
}
