// Per-item popularity scales for beyond-accuracy metrics: percentile and self-information (novelty).

/**
 * Percentile of each item's popularity in the catalogue, in [0, 100]: 100 * (items strictly less
 * popular + half the other items exactly as popular) / nItems. Equal counts get equal percentiles.
 */
export function popularityPercentiles(popularity: ArrayLike<number>): Float64Array {
  const n = popularity.length
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => popularity[a] - popularity[b])
  const out = new Float64Array(n)
  for (let start = 0; start < n; ) {
    let end = start + 1
    while (end < n && popularity[order[end]] === popularity[order[start]]) end++
    const pct = (100 * (start + (end - start - 1) / 2)) / n
    for (let j = start; j < end; j++) out[order[j]] = pct
    start = end
  }
  return out
}

/**
 * Self-information -log2(share) of each item, share = (count + 1) / (total + nItems): add-one
 * smoothing keeps never-seen items finite. Rarer items score higher; its mean over a list is novelty.
 */
export function selfInformation(popularity: ArrayLike<number>): Float64Array {
  const n = popularity.length
  let total = 0
  for (let i = 0; i < n; i++) total += popularity[i]
  return Float64Array.from({length: n}, (_, i) => -Math.log2((popularity[i] + 1) / (total + n)))
}

/** Mean of perItem over the items in list[start .. start + k), skipping -1 padding; 0 for an empty list. */
export function listMean(list: Int32Array, start: number, k: number, perItem: Float64Array): number {
  let sum = 0
  let count = 0
  for (let p = 0; p < k; p++) {
    const item = list[start + p]
    if (item < 0) continue
    sum += perItem[item]
    count++
  }
  return count > 0 ? sum / count : 0
}
