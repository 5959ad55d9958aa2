// Popularity bias of recommendations: how the recommended items spread over popularity percentiles.
import {popularityPercentiles} from '../metrics/popularity.js'
import type {RankedLists} from '../metrics/ranking-metrics.js'

/** Ten bins of 10 percentile points: [0, 10), ..., [90, 100]. */
export const HISTOGRAM_BINS = 10

export interface PopularityHistogram {
  k: number
  /** Share of recommended slots (top k of every list) per percentile bin; sums to 1. */
  bins: number[]
}

/** Percentiles of history interaction counts, as popularity@K uses them; -1 padding is skipped. */
export function popularityHistogram(ranked: RankedLists, k: number, counts: ArrayLike<number>): PopularityHistogram {
  const percentiles = popularityPercentiles(counts)
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0)
  let slots = 0
  for (let start = 0; start < ranked.lists.length; start += ranked.listK) {
    for (let p = 0; p < k; p++) {
      const item = ranked.lists[start + p]
      if (item < 0) continue
      bins[Math.min(HISTOGRAM_BINS - 1, Math.floor(percentiles[item] / (100 / HISTOGRAM_BINS)))]++
      slots++
    }
  }
  return {k, bins: bins.map((b) => (slots > 0 ? b / slots : 0))}
}
