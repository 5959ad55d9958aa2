// Bounded top-k selection with one tie rule: O(n + m log k) for m heap entries, never a full sort.

/**
 * Keeps the k best (score, row) pairs offered. "Better" is a higher score, or an equal score and a
 * smaller row, so the kept set and its order do not depend on the order rows are offered in. Scores
 * are kept as float64 so ties are decided on exact sums, not on their float32 roundings. The root
 * holds the worst kept pair. One heap is reused call after call (`clear`), so it is allocated once.
 */
export class BoundedTopK {
  private readonly scores: Float64Array
  private readonly rows: Int32Array
  private count = 0

  constructor(readonly k: number) {
    this.scores = new Float64Array(k)
    this.rows = new Int32Array(k)
  }

  get size(): number {
    return this.count
  }

  /**
   * A pair needs `score >= threshold` to be kept (-Infinity until k are kept): callers test this
   * inline and call push only then, since at 100k rows almost every score fails it.
   */
  get threshold(): number {
    return this.count < this.k ? -Infinity : this.scores[0]
  }

  clear(): void {
    this.count = 0
  }

  /** Offers one pair; NaN scores are never kept. */
  push(score: number, row: number): void {
    if (score !== score) return
    const hs = this.scores
    const hr = this.rows
    if (this.count < this.k) {
      // sift up from the new leaf
      let c = this.count++
      while (c > 0) {
        const p = (c - 1) >> 1
        if (hs[p] < score || (hs[p] === score && hr[p] > row)) break
        hs[c] = hs[p]
        hr[c] = hr[p]
        c = p
      }
      hs[c] = score
      hr[c] = row
    } else if (this.k > 0 && (score > hs[0] || (score === hs[0] && row < hr[0]))) {
      this.siftDown(score, row, this.count)
    }
  }

  /**
   * Empties the heap into rows[at .. at + size) best first, and scores[at ..] when given (rounded to
   * float32). Popping the worst first fills from the back. Returns how many pairs were written.
   */
  drainInto(rows: Int32Array, at = 0, scores?: Float32Array): number {
    const hs = this.scores
    const hr = this.rows
    const n = this.count
    for (let m = n; m > 0; m--) {
      rows[at + m - 1] = hr[0]
      if (scores) scores[at + m - 1] = hs[0]
      if (m > 1) this.siftDown(hs[m - 1], hr[m - 1], m - 1)
    }
    this.count = 0
    return n
  }

  /** Puts (score, row) at the root of a heap of `size` and sifts it down. */
  private siftDown(score: number, row: number, size: number): void {
    const hs = this.scores
    const hr = this.rows
    let c = 0
    for (;;) {
      let w = 2 * c + 1
      if (w >= size) break
      const r = w + 1
      if (r < size && (hs[r] < hs[w] || (hs[r] === hs[w] && hr[r] > hr[w]))) w = r
      if (score < hs[w] || (score === hs[w] && row > hr[w])) break
      hs[c] = hs[w]
      hr[c] = hr[w]
      c = w
    }
    hs[c] = score
    hr[c] = row
  }
}

/**
 * The top k of one score row, best first, for full-catalogue ranking. NaN entries are skipped: that
 * is how callers exclude items. One selector is reused row after row.
 */
export class TopKSelector {
  private readonly heap: BoundedTopK

  constructor(readonly k: number) {
    this.heap = new BoundedTopK(k)
  }

  /**
   * Reads scores[start .. start + n) (item row i at start + i) and writes the chosen item rows into
   * out[outStart .. outStart + k), padding with -1 when fewer than k entries are not NaN.
   * Returns how many NaN entries were skipped.
   */
  select(scores: Float32Array, start: number, n: number, out: Int32Array, outStart: number): number {
    const heap = this.heap
    heap.clear()
    let skipped = 0
    let threshold = -Infinity
    for (let i = 0; i < n; i++) {
      const s = scores[start + i]
      // NaN fails every comparison, so the skip count costs nothing on the common path
      if (s >= threshold) {
        heap.push(s, i)
        threshold = heap.threshold
      } else if (s !== s) skipped++
    }
    const kept = heap.drainInto(out, outStart)
    out.fill(-1, outStart + kept, outStart + this.k)
    return skipped
  }
}

/**
 * Offers <query, row r> for every row r of a [n, d] matrix to `heap`, skipping rows `skip(r)` is true
 * for (asked only of rows whose score would enter). The dot is inlined with four partial sums added as
 * s0 + s1 + (s2 + s3), bit-identical to `dot`: calling `dot` per row made the exact index's 100k x 64
 * scan ~30% slower (15.3 -> 19.8 ms per query), a call per 64 multiply-adds.
 */
export function pushDots(heap: BoundedTopK, query: Float32Array, qo: number, matrix: Float32Array, d: number, skip?: (row: number) => boolean): void {
  const n = matrix.length / d
  const tail = d - (d % 4)
  let threshold = heap.threshold
  for (let row = 0, base = 0; row < n; row++, base += d) {
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let j = 0
    for (; j < tail; j += 4) {
      s0 += query[qo + j] * matrix[base + j]
      s1 += query[qo + j + 1] * matrix[base + j + 1]
      s2 += query[qo + j + 2] * matrix[base + j + 2]
      s3 += query[qo + j + 3] * matrix[base + j + 3]
    }
    for (; j < d; j++) s0 += query[qo + j] * matrix[base + j]
    const score = s0 + s1 + (s2 + s3)
    if (score >= threshold && !(skip !== undefined && skip(row))) {
      heap.push(score, row)
      threshold = heap.threshold
    }
  }
}
