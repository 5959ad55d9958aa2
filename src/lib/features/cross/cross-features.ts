// Cross features of (user, item, time) pairs: the one function training, evaluation and serving call.
import {RecError} from '../../errors.js'
import type {CrossStats} from './cross-stats.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

interface Pairs {
  users: Int32Array
  items: Int32Array
  ts: Float64Array | number
}

/**
 * One feature over all pairs: writes a raw value (counts log1p-compressed) to out[p * stride + col].
 * Feature-major loops, so that a request (one user, one time, hundreds of items) does its user-side
 * lookups once: user-level values are reused while consecutive pairs share (user, time).
 */
interface CrossFeature {
  available(s: CrossStats): boolean
  fill(s: CrossStats, pairs: Pairs, out: Float32Array, stride: number, col: number): void
}

const timeAt = (ts: Float64Array | number, p: number): number => (typeof ts === 'number' ? ts : ts[p])

/** A feature of (item, time) only. */
function itemFeature(available: (s: CrossStats) => boolean, value: (s: CrossStats, i: number, t: number) => number): CrossFeature {
  return {
    available,
    fill(s, {items, ts}, out, stride, col) {
      for (let p = 0; p < items.length; p++) out[p * stride + col] = value(s, items[p], timeAt(ts, p))
    },
  }
}

/** A feature of (user, author of the item, time); 0 for items without a known author. */
function authorFeature(available: (s: CrossStats) => boolean, value: (s: CrossStats, key: number, t: number) => number): CrossFeature {
  return {
    available,
    fill(s, {users, items, ts}, out, stride, col) {
      const author = s.columns.author!
      for (let p = 0; p < items.length; p++) {
        const a = author[items[p]]
        out[p * stride + col] = a >= 0 ? value(s, users[p] * s.nUsers + a, timeAt(ts, p)) : 0
      }
    },
  }
}

const FEATURES: Record<string, CrossFeature> = {
  /** 1 when the user followed the item's author before t. */
  followed: authorFeature(
    (s) => Boolean(s.follows && s.columns.author),
    (s, key, t) => (s.follows!.first(key) < t ? 1 : 0),
  ),
  /** log(1 + the user's engagements with the author's items before t): a RealGraph-like edge weight. */
  author_engagements: authorFeature(
    (s) => Boolean(s.userAuthor),
    (s, key, t) => Math.log1p(s.userAuthor!.before(key, t)),
  ),
  /** Share of the user's engagements before t on the item's topic (mean over an item's topics). */
  topic_share: {
    available: (s) => Boolean(s.userTopic),
    fill(s, {users, items, ts}, out, stride, col) {
      const {offsets, codes, count} = s.columns.topics!
      // Per-topic counts of the current (user, time), filled on first use: stamp[c] marks them valid.
      const cached = new Float64Array(count)
      const stamp = new Int32Array(count).fill(-1)
      let version = -1
      let lastUser = -1
      let lastT = Number.NaN
      let total = 0
      for (let p = 0; p < items.length; p++) {
        const u = users[p]
        const t = timeAt(ts, p)
        if (u !== lastUser || t !== lastT) {
          version++
          lastUser = u
          lastT = t
          total = s.userHistory.before(u, t)
        }
        const i = items[p]
        const n = offsets[i + 1] - offsets[i]
        let sum = 0
        if (total > 0) {
          for (let k = offsets[i]; k < offsets[i + 1]; k++) {
            const c = codes[k]
            if (stamp[c] !== version) {
              stamp[c] = version
              cached[c] = s.userTopic!.before(u * count + c, t)
            }
            sum += cached[c]
          }
        }
        out[p * stride + col] = total > 0 && n > 0 ? sum / (n * total) : 0
      }
    },
  },
  /** log(1 + the user's engagements before t): how much history the other features rest on. */
  user_engagements: {
    available: () => true,
    fill(s, {users, items, ts}, out, stride, col) {
      let lastUser = -1
      let lastT = Number.NaN
      let value = 0
      for (let p = 0; p < items.length; p++) {
        const t = timeAt(ts, p)
        if (users[p] !== lastUser || t !== lastT) {
          lastUser = users[p]
          lastT = t
          value = Math.log1p(s.userHistory.before(lastUser, t))
        }
        out[p * stride + col] = value
      }
    },
  },
  /** log(1 + hours since the item was created), 0 for unknown or future creation times. */
  item_age_hours: itemFeature(
    (s) => Boolean(s.columns.createdAt),
    (s, i, t) => {
      const created = s.columns.createdAt![i]
      return Number.isNaN(created) ? 0 : Math.log1p(Math.max(0, t - created) / HOUR_MS)
    },
  ),
  /** log(1 + engagements the item received before t). */
  item_engagements: itemFeature(
    () => true,
    (s, i, t) => Math.log1p(s.itemEngagement.before(i, t)),
  ),
  /** log(1 + engagements in the 24 hours before t): trending. */
  item_engagements_24h: itemFeature(
    () => true,
    (s, i, t) => Math.log1p(s.itemEngagement.between(i, t - DAY_MS, t)),
  ),
}

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
