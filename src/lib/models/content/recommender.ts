// The content model as a library for serving: a user's top-k items from their history, an item's most similar items.
import {RecError} from '../../errors.js'
import {TopKSelector} from '../../kernels/top-k.js'
import type {ContentModel} from './model.js'
import {ProfileBuilder, type SparseVector} from './profile.js'
import {scoreProfile} from './scorer.js'

/** A user's positives by item id: oldest or newest first, any order; ts (ms) and weights optional. */
export interface ContentHistory {
  itemIds: ArrayLike<bigint>
  ts?: ArrayLike<number>
  weights?: ArrayLike<number>
}

export interface ScoredItem {
  itemId: bigint
  /** Cosine of the profile (or the item) and the item, in (0, 1]. */
  score: number
}

/**
 * Holds one score row and one profile builder, reused call after call (not for concurrent use: one
 * per worker). Only items sharing a term with the profile are recommended (score > 0), best first,
 * ties to the smaller item row (the eval tie rule).
 */
export class ContentRecommender {
  private readonly scores: Float32Array
  private readonly builder: ProfileBuilder

  constructor(readonly model: ContentModel) {
    this.scores = new Float32Array(model.items.size)
    this.builder = new ProfileBuilder(model)
  }

  /** The user's profile: unknown item ids are ignored. */
  profile(history: ContentHistory): SparseVector {
    const items = Int32Array.from({length: history.itemIds.length}, (_, k) => this.model.items.row(history.itemIds[k]))
    return this.builder.build({items, ts: history.ts, weights: history.weights})
  }

  /** The k best items for `history`, never one of its items or of `exclude`. */
  topK(history: ContentHistory, k: number, exclude: Iterable<bigint> = []): ScoredItem[] {
    checkK(k)
    scoreProfile(this.model, this.profile(history), this.scores, 0)
    for (let j = 0; j < history.itemIds.length; j++) this.excludeId(history.itemIds[j])
    for (const id of exclude) this.excludeId(id)
    return this.select(k)
  }

  /** The k items closest to `itemId` by cosine of their vectors; NOT_FOUND for an id the model does not hold. */
  similarItems(itemId: bigint, k: number): ScoredItem[] {
    checkK(k)
    const row = this.model.items.row(itemId)
    if (row === 0) throw new RecError('NOT_FOUND', `item ${itemId} is not in the content model`, {hint: 'retrain it on a dataset holding the item'})
    const {rows} = this.model
    const start = rows.offsets[row]
    const vector: SparseVector = {terms: rows.terms.subarray(start), values: rows.values.subarray(start), n: rows.offsets[row + 1] - start}
    scoreProfile(this.model, vector, this.scores, 0)
    this.scores[row] = Number.NaN
    return this.select(k)
  }

  private excludeId(id: bigint): void {
    const row = this.model.items.row(id)
    if (row > 0) this.scores[row] = Number.NaN
  }

  private select(k: number): ScoredItem[] {
    this.scores[0] = Number.NaN
    const n = this.model.items.size
    const take = Math.min(k, n)
    // k is a feed's length: a selector and a list of k rows per call cost nothing next to the scan
    const rows = new Int32Array(take)
    new TopKSelector(take).select(this.scores, 0, n, rows, 0)
    const out: ScoredItem[] = []
    for (let j = 0; j < take; j++) {
      const row = rows[j]
      if (row < 0 || !(this.scores[row] > 0)) break
      out.push({itemId: this.model.items.id(row)!, score: this.scores[row]})
    }
    return out
  }
}

function checkK(k: number): void {
  if (!(Number.isInteger(k) && k >= 1)) throw new RecError('INVALID_ARGUMENT', `k must be a positive integer (got ${k})`)
}
