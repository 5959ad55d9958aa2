// The candidates' item rows as one typed array, the input of the row kernels.

export function candidateRows(candidates: readonly {row: number}[]): Int32Array {
  const rows = new Int32Array(candidates.length)
  for (let i = 0; i < candidates.length; i++) rows[i] = candidates[i].row
  return rows
}
