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
