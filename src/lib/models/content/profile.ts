// A user's content profile: the decayed, weighted sum of the item vectors of their positives, l2-normalised, as a sparse vector.
import type {ContentModel} from './model.js'
import {termRows} from './model.js'

/** Terms ascending with their values; entries [0, n) are valid (buffers are reused). */
export interface SparseVector {
  terms: Int32Array
  values: Float32Array
  n: number
}

/** The positives a profile is built from: item rows, their times (ms) and weights (default 1), oldest first or in any order. */
export interface ProfileEvents {
  items: ArrayLike<number>
  ts?: ArrayLike<number>
  weights?: ArrayLike<number>
  start?: number
  end?: number
}

/**
 * Builds profiles with one dense float64 accumulator over the terms, cleared through the list of
 * terms touched, so a profile costs its history's non-zeros, not the vocabulary size. Not shared
 * between threads.
 */
export class ProfileBuilder {
  private readonly sums: Float64Array
  private readonly seen: Uint8Array
  private touched: Int32Array
  private out: SparseVector

  constructor(private readonly model: ContentModel) {
    const n = termRows(model)
    this.sums = new Float64Array(n)
    this.seen = new Uint8Array(n)
    this.touched = new Int32Array(256)
    this.out = {terms: new Int32Array(256), values: new Float32Array(256), n: 0}
  }

  /**
   * p = sum_k w_k 0.5^((t_newest - t_k) / half-life) v_{item_k}, then p / |p|. Weights decay from
   * the newest positive (any reference time ranks the same after normalising; this one cannot
   * underflow). Rows outside the model (OOV row 0, unknown) add nothing. The returned vector is
   * overwritten by the next call.
   */
  build(events: ProfileEvents): SparseVector {
    const {rows} = this.model
    const halfLife = this.model.halfLifeMs
    const start = events.start ?? 0
    const end = events.end ?? events.items.length
    let newest = -Infinity
    if (events.ts && halfLife > 0) for (let k = start; k < end; k++) newest = Math.max(newest, events.ts[k])
    let touched = 0
    for (let k = start; k < end; k++) {
      const item = events.items[k]
      if (!(item > 0 && item < rows.offsets.length - 1)) continue
      let w = events.weights ? events.weights[k] : 1
      if (events.ts && halfLife > 0) w *= Math.pow(0.5, (newest - events.ts[k]) / halfLife)
      if (!(w > 0)) continue
      for (let e = rows.offsets[item]; e < rows.offsets[item + 1]; e++) {
        const t = rows.terms[e]
        if (!this.seen[t]) {
          this.seen[t] = 1
          if (touched === this.touched.length) this.touched = grow(this.touched)
          this.touched[touched++] = t
        }
        this.sums[t] += w * rows.values[e]
      }
    }
    const terms = this.touched.subarray(0, touched).sort()
    if (this.out.terms.length < touched) this.out = {terms: new Int32Array(touched * 2), values: new Float32Array(touched * 2), n: 0}
    let norm = 0
    for (let k = 0; k < touched; k++) norm += this.sums[terms[k]] * this.sums[terms[k]]
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let k = 0; k < touched; k++) {
      const t = terms[k]
      this.out.terms[k] = t
      this.out.values[k] = this.sums[t] * scale
      this.sums[t] = 0
      this.seen[t] = 0
    }
    this.out.n = touched
    return this.out
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2)
  b.set(a)
  return b
}
