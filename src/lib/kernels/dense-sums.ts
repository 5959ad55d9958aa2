// Sums by dense row (a user, item or group row) in arrays kept between requests: the accumulate-then-rank step of a
// source, and the per-request marks and counts of filters and selectors. Reset costs the rows touched, not the table.

/**
 * `add(row, value, tag)` sums values per row and keeps the tag of the first add; `rows` lists the rows
 * touched, in first-touch order. With a Map of {score, via} objects per request the Graph source made
 * ~26 KB of garbage and took ~53 us; with these, ~12 KB and ~27-36 us (a Set per request cost the Duplicates
 * filter ~25 us for ~500 candidates, a Map of counts the caps ~40 us). A component that owns one must finish with
 * it before it yields (its apply has no await), then call clear(), which resets only the touched rows.
 */
export class DenseSums {
  readonly sums: Float64Array
  readonly tags: Int32Array
  readonly rows: number[] = []
  private readonly touched: Uint8Array

  /** `tagged`: keep a tag per row (4 more bytes a row: 4 MB per thread at 1M items, so only where read). */
  constructor(size: number, tagged = false) {
    this.sums = new Float64Array(size)
    this.tags = new Int32Array(tagged ? size : 0)
    this.touched = new Uint8Array(size)
  }

  /** Whether `row` was added to since the last clear. */
  has(row: number): boolean {
    return this.touched[row] === 1
  }

  add(row: number, value: number, tag = -1): void {
    if (!this.touched[row]) {
      this.touched[row] = 1
      if (this.tags.length > 0) this.tags[row] = tag
      this.rows.push(row)
    }
    this.sums[row] += value
  }

  /** The first `n` touched rows by sum, highest first (ties: lower row first); reorders `rows`. */
  top(n: number): number[] {
    const sums = this.sums
    return this.rows.sort((a, b) => (sums[b] > sums[a] ? 1 : sums[b] < sums[a] ? -1 : a - b)).slice(0, n)
  }

  clear(): void {
    for (const row of this.rows) {
      this.sums[row] = 0
      this.touched[row] = 0
    }
    this.rows.length = 0
  }
}
