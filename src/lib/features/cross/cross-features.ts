// Cross features of (user, item, time) pairs: the one function training, evaluation and serving call.
import {RecError} from '../../errors.js'
import {FEATURES} from './cross-feature-defs.js'
import type {CrossStats} from './cross-stats.js'

/** Name of the feature that carries a retrieval model's score, when one is given. */
export const RETRIEVAL_SCORE = 'retrieval_score'

/** The cross features the stats support, in a fixed order; `retrieval_score` last when asked for. */
export function crossFeatureNames(stats: CrossStats, withRetrievalScore: boolean): string[] {
  const names = Object.keys(FEATURES).filter((name) => FEATURES[name].available(stats))
  return withRetrievalScore ? [...names, RETRIEVAL_SCORE] : names
}

/** Throws MISMATCH when `names` (from a checkpoint) asks for a feature these stats cannot compute. */
export function checkCrossFeatures(stats: CrossStats, names: readonly string[], source: string): void {
  for (const name of names) {
    if (name === RETRIEVAL_SCORE) continue
    if (!FEATURES[name]) throw new RecError('MISMATCH', `${source}: unknown cross feature "${name}"`)
    if (!FEATURES[name].available(stats)) {
      throw new RecError('MISMATCH', `${source}: cross feature "${name}" needs data the dataset lacks (author, topic, created_at or follows)`)
    }
  }
}

/**
 * Raw cross features of pairs (users[p], items[p]) at time ts[p] (or one time for all pairs) into
 * out[p * stride + offset + f] for f over `names`. `retrieval[p]` fills retrieval_score.
 * Values are not standardised: see standardizeColumns.
 */
export function computeCrossFeatures(
  stats: CrossStats,
  names: readonly string[],
  pairs: {users: Int32Array; items: Int32Array; ts: Float64Array | number; retrieval?: Float32Array},
  out: Float32Array,
  stride = names.length,
  offset = 0,
): void {
  const {items, retrieval} = pairs
  const needsRetrieval = names.includes(RETRIEVAL_SCORE)
  if (needsRetrieval && (!retrieval || retrieval.length !== items.length)) {
    throw new RecError('INVALID_ARGUMENT', `cross features: ${RETRIEVAL_SCORE} needs one retrieval score per candidate (got ${retrieval?.length ?? 0} for ${items.length})`)
  }
  names.forEach((name, f) => {
    if (name === RETRIEVAL_SCORE) {
      for (let p = 0; p < items.length; p++) out[p * stride + offset + f] = retrieval![p]
    } else {
      FEATURES[name].fill(stats, pairs, out, stride, offset + f)
    }
  })
}
