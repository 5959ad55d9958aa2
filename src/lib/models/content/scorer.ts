// Scores of every item for a content profile (a sparse dot through the item columns), and the eval score provider built on it.
import type {ScoreProvider} from '../../eval/engine/score-provider.js'
import type {UserHistory} from '../../features/history.js'
import {scatterSparseDots} from '../../kernels/sparse-dot.js'
import type {ContentModel} from './model.js'
import {ProfileBuilder, type SparseVector} from './profile.js'

/** out[offset + i] = profile . item i for every item row i (cosine: both have norm 1); row 0 scores 0. */
export function scoreProfile(model: ContentModel, profile: SparseVector, out: Float32Array, offset: number): void {
  const n = model.items.size
  out.fill(0, offset, offset + n)
  const {columns} = model
  scatterSparseDots(profile.terms, profile.values, profile.n, columns.offsets, columns.rows, columns.values, out, offset)
}

/**
 * The score provider of `rec eval`: provider index i is user users[i], profiled from that user's
 * `history` (the protocol's history splits: train for val, train+val for test; never the evaluated
 * split), weighted by each positive's event weight and decayed. A user without history scores 0
 * everywhere (the eval engine breaks those ties by item row).
 */
export function contentScoreProvider(model: ContentModel, users: Int32Array, history: UserHistory): ScoreProvider {
  const builder = new ProfileBuilder(model)
  const n = model.items.size
  return {
    nItems: n,
    scoreBlock(userRows, out) {
      for (let j = 0; j < userRows.length; j++) {
        const u = users[userRows[j]]
        const profile = builder.build({items: history.items, ts: history.ts, weights: history.weight, start: history.offsets[u], end: history.offsets[u + 1]})
        scoreProfile(model, profile, out, j * n)
      }
    },
  }
}
