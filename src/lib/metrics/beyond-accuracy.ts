// Beyond-accuracy metrics of ranked lists: coverage, popularity percentile, novelty and diversity at each K.
import {catalogCoverage} from './coverage.js'
import {type Csr} from './csr.js'
import {DiversityScorer} from './diversity.js'
import {listMean, popularityPercentiles, selfInformation} from './popularity.js'
import {type MetricTable, type RankedLists} from './ranking-metrics.js'

export interface BeyondAccuracyInput {
  nItems: number
  /** Interaction count (or any non-negative mass) per item row: enables popularity@K and novelty@K. */
  popularity?: ArrayLike<number>
  /** Item row -> category ids: enables diversity@K. */
  categories?: Csr
}

/**
 * Per K: coverage@K (catalogue share reached by all lists together; in `mean` only), and per user
 * popularity@K (mean popularity percentile, 0-100), novelty@K (mean self-information in bits) and
 * diversity@K (intra-list diversity, 0-1) when their inputs are given.
 */
export function computeBeyondAccuracy(ranked: RankedLists, ks: readonly number[], input: BeyondAccuracyInput): MetricTable {
  const {lists, listK, users} = ranked
  const n = users.length
  const perUser: Record<string, Float32Array> = {}
  const mean: Record<string, number> = {}
  const perList = (name: string, value: (start: number) => number) => {
    const values = new Float32Array(n)
    let sum = 0
    for (let j = 0; j < n; j++) {
      const v = value(j * listK)
      values[j] = v
      sum += v
    }
    perUser[name] = values
    mean[name] = sum / n
  }
  const percentile = input.popularity && popularityPercentiles(input.popularity)
  const information = input.popularity && selfInformation(input.popularity)
  const diversity = input.categories && new DiversityScorer(input.categories)
  for (const k of ks) {
    mean[`coverage@${k}`] = catalogCoverage(lists, listK, k, input.nItems)
    if (percentile) perList(`popularity@${k}`, (start) => listMean(lists, start, k, percentile))
    if (information) perList(`novelty@${k}`, (start) => listMean(lists, start, k, information))
    if (diversity) perList(`diversity@${k}`, (start) => diversity.score(lists, start, k))
  }
  return {perUser, mean}
}
