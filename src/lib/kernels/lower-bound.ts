// Binary search over a sorted Float64Array: gen-data's time-ordered candidates and analytics' conversion times.

/** Index of the first k in [lo, hi) with sorted[k] >= value (sorted ascending on [lo, hi)); hi when none. */
export function lowerBoundIn(sorted: Float64Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first k with sorted[k] >= value; sorted.length when none. */
export function lowerBound(sorted: Float64Array, value: number): number {
  return lowerBoundIn(sorted, 0, sorted.length, value)
}
