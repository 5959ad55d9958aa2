// Average precision at K, the per-user term of MAP@K.

/**
 * (1 / min(|targets|, k)) * sum over targets at 0-based positions p < k of precision@(p + 1).
 * 1 when the first min(|targets|, k) slots are all targets; equals the reciprocal rank when there is one target.
 */
export function averagePrecisionAt(positions: Int32Array, hits: number, nTargets: number, k: number): number {
  let sum = 0
  for (let j = 0; j < hits && positions[j] < k; j++) sum += (j + 1) / (positions[j] + 1)
  return sum / Math.min(nTargets, k)
}
