// Sorted event times per key, answering "how many before t" by binary search: the causal counters of cross features.

/** Number of entries of sorted `ts[lo, hi)` strictly below `t`. */
export function countBelow(ts: Float64Array, lo: number, hi: number, t: number): number {
  const start = lo
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ts[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo - start
}

/** Dense keys 0..n-1 (user rows, item rows) as CSR: key k's times are ts[offsets[k], offsets[k+1]), ascending. */
export class DenseTimeIndex {
  readonly offsets: Int32Array
  readonly ts: Float64Array

  /** `keys[i]` happened at `times[i]`; times need not be sorted. */
  constructor(n: number, keys: ArrayLike<number>, times: ArrayLike<number>) {
    const counts = new Int32Array(n + 1)
    for (let i = 0; i < keys.length; i++) counts[keys[i] + 1]++
    for (let k = 0; k < n; k++) counts[k + 1] += counts[k]
    this.offsets = counts
    const cursor = counts.slice(0, n)
    this.ts = new Float64Array(keys.length)
    for (let i = 0; i < keys.length; i++) this.ts[cursor[keys[i]]++] = times[i]
    for (let k = 0; k < n; k++) this.ts.subarray(counts[k], counts[k + 1]).sort()
  }

  /** Events of key k strictly before t. */
  before(k: number, t: number): number {
    return countBelow(this.ts, this.offsets[k], this.offsets[k + 1], t)
  }

  /** Events of key k in [t0, t1). */
  between(k: number, t0: number, t1: number): number {
    return this.before(k, t1) - this.before(k, t0)
  }
}

/**
 * Pairs (a, b) with a dense first part (a user row) and a sparse second one (an author, a topic, a
 * followed user), in flat arrays: a's distinct b values sorted in `seconds[offsets[a], offsets[a+1])`,
 * each with its sorted times in `ts[starts[j], starts[j+1])`. A lookup is two binary searches in a's
 * short list and in the pair's times. A Map keyed by a * n + b held one Float64Array per pair (~130k
 * heap objects on the 100k-item serve bench world, in every serving thread) and missed cache on each of the ~900
 * lookups a ranked feed makes; here a request's lookups share one user's list.
 */
export class PairTimeIndex {
  private readonly offsets: Int32Array
  private readonly seconds: Float64Array
  private readonly starts: Int32Array
  private readonly ts: Float64Array

  /** Event i is the pair (first[i], second[i]) at times[i]; `nFirst` bounds the first parts. Order does not matter. */
  constructor(nFirst: number, first: ArrayLike<number>, second: ArrayLike<number>, times: ArrayLike<number>) {
    const n = first.length
    // events ordered by (first, second, time)
    const order = Int32Array.from({length: n}, (_, i) => i).sort((x, y) => first[x] - first[y] || second[x] - second[y] || times[x] - times[y])
    this.ts = Float64Array.from(order, (i) => times[i])
    this.offsets = new Int32Array(nFirst + 1)
    const seconds: number[] = []
    const starts: number[] = []
    for (let k = 0; k < n; k++) {
      const i = order[k]
      if (k === 0 || first[i] !== first[order[k - 1]] || second[i] !== second[order[k - 1]]) {
        seconds.push(second[i])
        starts.push(k)
        this.offsets[first[i] + 1]++
      }
    }
    for (let a = 0; a < nFirst; a++) this.offsets[a + 1] += this.offsets[a]
    starts.push(n)
    this.seconds = Float64Array.from(seconds)
    this.starts = Int32Array.from(starts)
  }

  /** Distinct pairs. */
  get size(): number {
    return this.seconds.length
  }

  /** Index of pair (a, b) in `seconds`, or -1. */
  private find(a: number, b: number): number {
    const end = this.offsets[a + 1]
    const j = this.offsets[a] + countBelow(this.seconds, this.offsets[a], end, b)
    return j < end && this.seconds[j] === b ? j : -1
  }

  /** Events of pair (a, b) strictly before t. */
  before(a: number, b: number, t: number): number {
    const j = this.find(a, b)
    return j < 0 ? 0 : countBelow(this.ts, this.starts[j], this.starts[j + 1], t)
  }

  /** Time of the first event of pair (a, b), or Infinity. */
  first(a: number, b: number): number {
    const j = this.find(a, b)
    return j < 0 ? Infinity : this.ts[this.starts[j]]
  }
}
