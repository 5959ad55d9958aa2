// Popularity-aware sampled negatives for logs without impressions: (user, random item) at the positive's time.
import {AliasTable} from '../../dataset/synthetic/draws.js'
import {TRAIN} from '../../dataset/schema.js'
import type {Rng} from '../../random/rng.js'
import {emptyExamples, type RankingExamples} from './examples.js'

/** Draws per user tried before accepting an item the user already has (a tiny catalogue). */
const MAX_TRIES = 20

/**
 * Items are drawn with probability proportional to (train positives + 1)^power (word2vec's 0.75
 * by default): popular items are the negatives a ranker must learn to push down, and the +1 keeps
 * cold items possible. An item the user touched in the example's split or earlier is redrawn, so
 * nothing the user is known to like at that time becomes a negative; later items may (the model
 * could not know them either).
 */
export class PopularityNegatives {
  private readonly table: AliasTable
  private readonly weights: Float64Array
  /** Key user * nItems + item -> the earliest split code the user touched the item in. */
  private readonly touched = new Map<number, number>()

  constructor(
    private readonly base: RankingExamples,
    private readonly nItems: number,
    power: number,
  ) {
    const h = base.heads.length
    const counts = new Float64Array(nItems)
    for (let i = 0; i < base.user.length; i++) {
      const key = base.user[i] * nItems + base.item[i]
      const prior = this.touched.get(key)
      if (prior === undefined || base.split[i] < prior) this.touched.set(key, base.split[i])
      if (base.split[i] === TRAIN && isPositive(base, i, h)) counts[base.item[i]]++
    }
    // Row 0 is the out-of-vocabulary item: never a negative.
    this.weights = Float64Array.from(counts, (c, i) => (i === 0 ? 0 : Math.pow(c + 1, power)))
    this.table = new AliasTable(this.weights)
  }

  /**
   * log(k q(i)) per item row, q the sampling distribution and k the negatives per positive. A
   * classifier of positives against these negatives learns logit ~ log p(i | u) - log(k q(i)) (the
   * NCE identity), so adding this back ranks candidates by p(i | u) instead of by their odds
   * against the sampler: without it, popular items are pushed down for being sampled often.
   */
  logQ(perPositive: number): Float32Array {
    const total = this.weights.reduce((s, w) => s + w, 0)
    return Float32Array.from(this.weights, (w, i) => (i === 0 || w === 0 ? 0 : Math.log((perPositive * w) / total)))
  }

  /** `perPositive` negatives for every positive example among `rows` of the base set. */
  sample(rows: Int32Array, perPositive: number, rng: Rng): RankingExamples {
    const h = this.base.heads.length
    const sources: number[] = []
    for (const r of rows) if (isPositive(this.base, r, h)) for (let k = 0; k < perPositive; k++) sources.push(r)
    const out = emptyExamples(this.base.heads, sources.length)
    for (let j = 0; j < sources.length; j++) {
      const r = sources[j]
      const u = this.base.user[r]
      let item = this.table.sample(rng)
      for (let t = 1; t < MAX_TRIES && (this.touched.get(u * this.nItems + item) ?? 3) <= this.base.split[r]; t++) item = this.table.sample(rng)
      out.user[j] = u
      out.item[j] = item
      out.ts[j] = this.base.ts[r]
      out.split[j] = this.base.split[r]
      out.weight[j] = 1
    }
    return out
  }
}

function isPositive(examples: RankingExamples, row: number, h: number): boolean {
  for (let k = 0; k < h; k++) if (examples.labels[row * h + k]) return true
  return false
}
