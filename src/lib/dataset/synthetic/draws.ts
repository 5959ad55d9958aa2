// Small sampling helpers the generator needs beyond Rng: alias tables, Poisson, exponential, sorted-array search.
import type {Rng} from '../../random/rng.js'

/** Vose's alias method: O(1) draws from a fixed discrete distribution of non-negative weights. */
export class AliasTable {
  readonly size: number
  private readonly prob: Float64Array
  private readonly alias: Int32Array

  constructor(weights: ArrayLike<number>) {
    const n = weights.length
    let total = 0
    for (let i = 0; i < n; i++) total += weights[i]
    this.size = n
    this.prob = new Float64Array(n)
    this.alias = new Int32Array(n)
    const scaled = new Float64Array(n)
    const small = new Int32Array(n)
    const large = new Int32Array(n)
    let ns = 0
    let nl = 0
    for (let i = 0; i < n; i++) {
      scaled[i] = total > 0 ? (weights[i] * n) / total : 1
      if (scaled[i] < 1) small[ns++] = i
      else large[nl++] = i
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]
      const l = large[--nl]
      this.prob[s] = scaled[s]
      this.alias[s] = l
      scaled[l] = scaled[l] + scaled[s] - 1
      if (scaled[l] < 1) small[ns++] = l
      else large[nl++] = l
    }
    while (nl > 0) this.prob[large[--nl]] = 1
    while (ns > 0) this.prob[small[--ns]] = 1 // float round-off leftovers
  }

  sample(rng: Rng): number {
    const i = rng.int(this.size)
    return rng.next() < this.prob[i] ? i : this.alias[i]
  }
}

/** Poisson(lambda) by Knuth's product method: fine for the small rates used here (< 10). */
export function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda)
  let k = 0
  let p = rng.next()
  while (p > limit) {
    k++
    p *= rng.next()
  }
  return k
}

export function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}
