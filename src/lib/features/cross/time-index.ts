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

/** Sparse keys (user x author, user x topic) in a Map: only pairs that occurred cost memory. */
export class SparseTimeIndex {
  private readonly times = new Map<number, Float64Array>()

  /** `keys[i]` happened at `times[i]`; keys are non-negative integers below 2^53. */
  constructor(keys: ArrayLike<number>, times: ArrayLike<number>) {
    const lists = new Map<number, number[]>()
    for (let i = 0; i < keys.length; i++) {
      const list = lists.get(keys[i])
      if (list) list.push(times[i])
      else lists.set(keys[i], [times[i]])
    }
    for (const [key, list] of lists) this.times.set(key, Float64Array.from(list).sort())
  }

  get size(): number {
    return this.times.size
  }

  before(key: number, t: number): number {
    const ts = this.times.get(key)
    return ts ? countBelow(ts, 0, ts.length, t) : 0
  }

  /** Time of the first event of `key`, or Infinity. */
  first(key: number): number {
    const ts = this.times.get(key)
    return ts ? ts[0] : Infinity
  }
}
