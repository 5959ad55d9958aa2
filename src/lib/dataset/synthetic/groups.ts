// Compressed row lists (CSR): rows grouped by an integer key, each group in ascending row order.

/** Group g holds rows[offsets[g] .. offsets[g+1]); rows keep their ascending order (creation order for items). */
export interface Groups {
  offsets: Int32Array
  rows: Int32Array
}

export function groupRows(key: Int32Array, groups: number): Groups {
  const offsets = new Int32Array(groups + 1)
  for (let i = 0; i < key.length; i++) offsets[key[i] + 1]++
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g]
  const fill = offsets.slice(0, groups)
  const rows = new Int32Array(key.length)
  for (let i = 0; i < key.length; i++) rows[fill[key[i]]++] = i
  return {offsets, rows}
}
