// L2 normalisation of one vector or of every row of a matrix, in place.

/**
 * v[at .. at + d) /= |v| (a zero vector stays zero). Divides rather than multiplying by 1 / |v|, so
 * user vectors keep the bits served feeds were recorded with. Returns v.
 */
export function normalizeVector(v: Float32Array, at = 0, d = v.length - at): Float32Array {
  let sum = 0
  for (let j = at; j < at + d; j++) sum += v[j] * v[j]
  const norm = Math.sqrt(sum)
  if (norm > 0) for (let j = at; j < at + d; j++) v[j] /= norm
  return v
}

/**
 * Scales each row of a [n, d] matrix to unit norm, multiplying by 1 / |row| (one division per row,
 * not per value: this runs over the whole catalogue at index build). All-zero rows stay zero; with
 * `scale: false` rows are only checked. Returns the number of all-zero rows.
 */
export function normalizeRowsInPlace(matrix: Float32Array, d: number, scale = true): number {
  let zeroRows = 0
  for (let base = 0; base < matrix.length; base += d) {
    let sum = 0
    for (let j = 0; j < d; j++) sum += matrix[base + j] * matrix[base + j]
    if (sum === 0) {
      zeroRows++
      continue
    }
    if (!scale) continue
    const inverse = 1 / Math.sqrt(sum)
    for (let j = 0; j < d; j++) matrix[base + j] *= inverse
  }
  return zeroRows
}

/**
 * values min-max scaled to [0, 1] (a new array): (v - min) / (max - min). Equal values (or one) all scale to 0,
 * since they carry no preference; NaN stays NaN and is left out of min and max.
 */
export function scaleToUnit(values: ArrayLike<number>): Float64Array {
  let low = Infinity
  let high = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v < low) low = v
    if (v > high) high = v
  }
  const range = high > low ? high - low : Infinity
  return Float64Array.from({length: values.length}, (_, i) => (values[i] - low) / range)
}
