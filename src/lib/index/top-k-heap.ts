// A bounded min-heap that keeps the k best (score, row) pairs seen, for brute-force top-k selection.
import type {SearchResult} from './top-k.js'

/**
 * "Better" means a higher score, or an equal score and a smaller row, so the kept set and its order
 * do not depend on the order rows are offered in. Scores are kept as float64 so ties are decided on
 * the exact sums, not on their float32 roundings.
 */
export class TopKHeap {
  private readonly scores: Float64Array
  private readonly rows: Int32Array
  private count = 0

  constructor(readonly k: number) {
    this.scores = new Float64Array(k)
    this.rows = new Int32Array(k)
  }

  /** The score a new row must beat once the heap is full (-Infinity before). */
  get threshold(): number {
    return this.count < this.k ? -Infinity : this.scores[0]
  }

  /** Offers one pair; cheap when it does not beat the current worst. */
  push(score: number, row: number): void {
    if (this.count < this.k) {
      let i = this.count++
      // sift up: the root holds the worst pair
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (!this.worse(score, row, this.scores[parent], this.rows[parent])) break
        this.scores[i] = this.scores[parent]
        this.rows[i] = this.rows[parent]
        i = parent
      }
      this.scores[i] = score
      this.rows[i] = row
      return
    }
    if (!this.worse(this.scores[0], this.rows[0], score, row)) return
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= this.k) break
      const right = left + 1
      const child = right < this.k && this.worse(this.scores[right], this.rows[right], this.scores[left], this.rows[left]) ? right : left
      if (!this.worse(this.scores[child], this.rows[child], score, row)) break
      this.scores[i] = this.scores[child]
      this.rows[i] = this.rows[child]
      i = child
    }
    this.scores[i] = score
    this.rows[i] = row
  }

  /** The kept pairs, best first. */
  result(): SearchResult {
    const order = Array.from({length: this.count}, (_, i) => i)
    order.sort((a, b) => this.scores[b] - this.scores[a] || this.rows[a] - this.rows[b])
    return {
      rows: Int32Array.from(order, (i) => this.rows[i]),
      scores: Float32Array.from(order, (i) => this.scores[i]),
    }
  }

  private worse(scoreA: number, rowA: number, scoreB: number, rowB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && rowA > rowB)
  }
}
