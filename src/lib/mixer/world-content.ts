// The content (TF-IDF) model as the serving world sees it: row maps both ways, and a request's profile from its history.
import {type ContentModel, termRows} from '../models/content/model.js'
import {ProfileBuilder, type SparseVector} from '../models/content/profile.js'
import type {HomeQuery} from './types.js'
import type {ServingWorld} from './world.js'

export interface WorldContent {
  model: ContentModel
  /** [world.items.size] content row of each world (retrieval) row; 0 = not in the content model. */
  contentRow: Int32Array
  /** [model.items.size] world row of each content row; 0 = an item the world does not serve. */
  worldRow: Int32Array
  /** Content rows with no world row: never recommended. */
  unserved: Int32Array
}

export function attachContent(world: ServingWorld, model: ContentModel): WorldContent {
  const contentRow = new Int32Array(world.items.size)
  const worldRow = new Int32Array(model.items.size)
  for (let row = 1; row < world.items.size; row++) {
    const c = model.items.row(world.items.id(row)!)
    contentRow[row] = c
    if (c > 0) worldRow[c] = row
  }
  const unserved: number[] = []
  for (let c = 1; c < worldRow.length; c++) if (worldRow[c] === 0) unserved.push(c)
  return {model, contentRow, worldRow, unserved: Int32Array.from(unserved)}
}

/**
 * One per thread (a pipeline worker, the HTTP thread): the profile of the request being run, built once and
 * shared by the Content source, the Blend scorer and the reasons of that request. A profile is the decayed,
 * weighted sum of the history's item vectors (models/content/profile.ts): the dataset part with its own times
 * and event weights, the session's positives (appended after it) at the request time with weight 1.
 */
export class ContentProfiles {
  private readonly builder: ProfileBuilder
  private lastQuery?: HomeQuery
  private last: SparseVector = {terms: new Int32Array(0), values: new Float32Array(0), n: 0}
  /** The last profile scattered over the terms [terms + 1], for gathering candidates' dots. */
  readonly dense: Float32Array

  constructor(
    readonly world: ServingWorld,
    readonly content: WorldContent,
  ) {
    this.builder = new ProfileBuilder(content.model)
    this.dense = new Float32Array(termRows(content.model))
  }

  /** The query's profile (cached for the same query object); `dense` holds it too. */
  profile(query: HomeQuery): SparseVector {
    if (query === this.lastQuery) return this.last
    const {history, userRow, now} = query
    const h = this.world.history
    const from = userRow > 0 ? h.offsets[userRow] : 0
    const fromDataset = userRow > 0 ? h.offsets[userRow + 1] - from : 0
    const n = history.length
    const items = new Int32Array(n)
    const ts = new Float64Array(n)
    const weights = new Float32Array(n)
    for (let k = 0; k < n; k++) {
      items[k] = this.content.contentRow[history[k]] ?? 0
      const own = k < fromDataset
      ts[k] = own ? h.ts[from + k] : now
      weights[k] = own && h.weight ? h.weight[from + k] : 1
    }
    const built = this.builder.build({items, ts, weights})
    for (let k = 0; k < this.last.n; k++) this.dense[this.last.terms[k]] = 0
    this.last = {terms: built.terms.slice(0, built.n), values: built.values.slice(0, built.n), n: built.n}
    for (let k = 0; k < this.last.n; k++) this.dense[this.last.terms[k]] = this.last.values[k]
    this.lastQuery = query
    return this.last
  }

  /** The term of the content row that adds most to its score against the query's profile (for a reason), or undefined. */
  topTerm(query: HomeQuery, contentRow: number): string | undefined {
    this.profile(query)
    const {rows, vocab} = this.content.model
    let best = -1
    let bestValue = 0
    for (let e = rows.offsets[contentRow]; e < rows.offsets[contentRow + 1]; e++) {
      const value = this.dense[rows.terms[e]] * rows.values[e]
      if (value > bestValue) {
        bestValue = value
        best = rows.terms[e]
      }
    }
    return best > 0 ? vocab.terms[best - 1] : undefined
  }
}
