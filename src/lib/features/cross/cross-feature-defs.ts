// The cross features themselves: one feature-major filler per name, reading causal counters of CrossStats.
import type {CrossStats} from './cross-stats.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

export interface Pairs {
  users: Int32Array
  items: Int32Array
  ts: Float64Array | number
}

/**
 * One feature over all pairs: writes a raw value (counts log1p-compressed) to out[p * stride + col].
 * Feature-major loops, so that a request (one user, one time, hundreds of items) does its user-side
 * lookups once: user-level values are reused while consecutive pairs share (user, time).
 */
export interface CrossFeature {
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
function authorFeature(available: (s: CrossStats) => boolean, value: (s: CrossStats, user: number, author: number, t: number) => number): CrossFeature {
  return {
    available,
    fill(s, {users, items, ts}, out, stride, col) {
      const author = s.columns.author!
      for (let p = 0; p < items.length; p++) {
        const a = author[items[p]]
        out[p * stride + col] = a >= 0 ? value(s, users[p], a, timeAt(ts, p)) : 0
      }
    },
  }
}

/** Every cross feature by name, in the order models list them. */
export const FEATURES: Record<string, CrossFeature> = {
  /** 1 when the user followed the item's author before t. */
  followed: authorFeature(
    (s) => Boolean(s.follows && s.columns.author),
    (s, user, author, t) => (s.follows!.first(user, author) < t ? 1 : 0),
  ),
  /** log(1 + the user's engagements with the author's items before t): a RealGraph-like edge weight. */
  author_engagements: authorFeature(
    (s) => Boolean(s.userAuthor),
    (s, user, author, t) => Math.log1p(s.userAuthor!.before(user, author, t)),
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
              cached[c] = s.userTopic!.before(u, c, t)
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
