// Partial selection of the k best entries of one score row with a bounded heap: O(n + m log k) for m heap entries, never a full sort.

/**
 * Picks the top k of a score row, best first, ties going to the smaller item row. Entries that are
 * NaN are skipped: that is how callers exclude items. One selector is reused row after row so the
 * heap is allocated once.
 */
export class TopKSelector {
  readonly k: number
  private readonly heapScore: Float64Array
  private readonly heapRow: Int32Array

  constructor(k: number) {
    this.k = k
    this.heapScore = new Float64Array(k)
    this.heapRow = new Int32Array(k)
  }

  /**
   * Reads scores[start .. start + n) (item row i at start + i) and writes the chosen item rows into
   * out[outStart .. outStart + k), padding with -1 when fewer than k entries are not NaN.
   * Returns how many NaN entries were skipped.
   */
  select(scores: Float32Array, start: number, n: number, out: Int32Array, outStart: number): number {
    const k = this.k
    const hs = this.heapScore
    const hr = this.heapRow
    let size = 0
    let skipped = 0
    let i = 0
    // Fill: the first k usable items, heap ordered with the worst (lowest score, then largest row) at the root.
    for (; i < n && size < k; i++) {
      const s = scores[start + i]
      if (s !== s) {
        skipped++
        continue
      }
      let c = size++
      while (c > 0) {
        const p = (c - 1) >> 1
        if (hs[p] < s || (hs[p] === s && hr[p] > i)) break
        hs[c] = hs[p]
        hr[c] = hr[p]
        c = p
      }
      hs[c] = s
      hr[c] = i
    }
    // Scan: rows arrive in increasing order, so a tie with the root loses; only `s > threshold` enters.
    let threshold = size === k ? hs[0] : Infinity
    for (; i < n; i++) {
      const s = scores[start + i]
      if (s > threshold) {
        this.replaceRoot(s, i, size)
        threshold = hs[0]
      } else if (s !== s) skipped++
    }
    // Drain: popping the worst first fills the output from the back.
    for (let j = k - 1; j >= size; j--) out[outStart + j] = -1
    for (let m = size; m > 0; m--) {
      out[outStart + m - 1] = hr[0]
      if (m > 1) this.replaceRoot(hs[m - 1], hr[m - 1], m - 1)
    }
    return skipped
  }

  /** Puts (s, row) at the root of a heap of `size` and sifts it down. */
  private replaceRoot(s: number, row: number, size: number): void {
    const hs = this.heapScore
    const hr = this.heapRow
    let c = 0
    for (;;) {
      let w = 2 * c + 1
      if (w >= size) break
      const r = w + 1
      if (r < size && (hs[r] < hs[w] || (hs[r] === hs[w] && hr[r] > hr[w]))) w = r
      if (s < hs[w] || (s === hs[w] && row > hr[w])) break
      hs[c] = hs[w]
      hr[c] = hr[w]
      c = w
    }
    hs[c] = s
    hr[c] = row
  }
}
