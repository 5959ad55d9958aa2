// Catalogue coverage: how much of the catalogue the recommendations reach at all.

/** Distinct item rows among the first k of every list, divided by nItems. Lists are [n, listK], -1 padded. */
export function catalogCoverage(lists: Int32Array, listK: number, k: number, nItems: number): number {
  const seen = new Uint8Array(nItems)
  let distinct = 0
  for (let start = 0; start < lists.length; start += listK) {
    for (let p = 0; p < k; p++) {
      const item = lists[start + p]
      if (item >= 0 && seen[item] === 0) {
        seen[item] = 1
        distinct++
      }
    }
  }
  return distinct / nItems
}
