// Counting helpers for inspect: dense indices for int64 ids, nearest-rank quantiles, head share.

/** Maps each id to a dense index 0, 1, 2, ... in the order ids are first added. */
export class DenseIds {
  readonly index = new Map<bigint, number>()

  add(id: bigint): number {
    let k = this.index.get(id)
    if (k === undefined) {
      k = this.index.size
      this.index.set(id, k)
    }
    return k
  }

  get size(): number {
    return this.index.size
  }
}

/** Nearest-rank quantile of ascending `sorted` (q = 0.5 is the lower median for an even count). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

/** Summary of per-entity counts: min, nearest-rank median and p99, max, mean. */
export function countSummary(counts: ArrayLike<number>): {min: number; median: number; p99: number; max: number; mean: number} {
  const sorted = Float64Array.from(counts).sort()
  const total = sorted.reduce((s, v) => s + v, 0)
  return {
    min: sorted.length ? sorted[0] : 0,
    median: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
    mean: sorted.length ? total / sorted.length : 0,
  }
}

/**
 * Share of all interactions that fall on the most popular `frac` of `nItems` items (at least one
 * item); items without interactions count as zeros, so the denominator is the whole catalogue.
 */
export function headShare(itemCounts: ArrayLike<number>, nItems: number, frac: number): {items: number; share: number} {
  const desc = Float64Array.from(itemCounts).sort().reverse()
  const total = desc.reduce((s, v) => s + v, 0)
  const k = Math.max(1, Math.ceil(frac * nItems))
  let head = 0
  for (let i = 0; i < Math.min(k, desc.length); i++) head += desc[i]
  return {items: k, share: total > 0 ? head / total : 0}
}
