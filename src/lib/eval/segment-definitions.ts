// Segments of an evaluation: users by activity (history size) and target items by popularity (history share).
import type {EvalContext} from './eval-context.js'

/** Users with at most this many history positives are cold. */
export const COLD_MAX = 5
/** The most active 20% of evaluated users are heavy. */
export const HEAVY_SHARE = 0.2
/** Head items together make the first 20% of history interactions, tail items the last 20%. */
export const HEAD_SHARE = 0.2
export const TAIL_SHARE = 0.2

export const USER_SEGMENTS = ['cold', 'light', 'heavy'] as const
export const TARGET_SEGMENTS = ['head', 'torso', 'tail'] as const

export interface Segments {
  /** Per task index: 0 cold, 1 light, 2 heavy. */
  userSegment: Uint8Array
  /** Fewest history positives of a heavy user (always > COLD_MAX). */
  heavyMin: number
  /** Per item row: 0 head, 1 torso, 2 tail. */
  itemSegment: Uint8Array
  itemCounts: {head: number; torso: number; tail: number}
}

/**
 * Activity = the user's positives in the history splits (train; train+val for test), repeats counted.
 * cold: <= COLD_MAX; heavy: >= the count of the user at the HEAVY_SHARE quantile from the top (ties
 * included, and above COLD_MAX); light: the rest.
 * Popularity: items sorted by history interactions (desc, then row); an item is head while the
 * interactions of the items before it are < HEAD_SHARE of all, tail once they are >= 1 - TAIL_SHARE
 * (so never-seen items are tail), torso otherwise.
 */
export function defineSegments(ctx: EvalContext): Segments {
  const {history, users} = ctx.task
  const activity = Int32Array.from(users, (u) => history.offsets[u + 1] - history.offsets[u])
  const sorted = Int32Array.from(activity).sort().reverse()
  const heavyMin = Math.max(COLD_MAX + 1, sorted[Math.max(0, Math.ceil(HEAVY_SHARE * sorted.length) - 1)] ?? 0)
  const userSegment = Uint8Array.from(activity, (a) => (a <= COLD_MAX ? 0 : a >= heavyMin ? 2 : 1))

  const counts = ctx.historyCounts
  const nItems = counts.length
  const order = Array.from({length: nItems - 1}, (_, i) => i + 1).sort((a, b) => counts[b] - counts[a] || a - b)
  let total = 0
  for (const i of order) total += counts[i]
  const itemSegment = new Uint8Array(nItems).fill(2)
  const itemCounts = {head: 0, torso: 0, tail: 0}
  let before = 0
  for (const i of order) {
    const share = total > 0 ? before / total : 1
    itemSegment[i] = share < HEAD_SHARE ? 0 : share >= 1 - TAIL_SHARE ? 2 : 1
    itemCounts[TARGET_SEGMENTS[itemSegment[i]]]++
    before += counts[i]
  }
  return {userSegment, heavyMin, itemSegment, itemCounts}
}

/** The thresholds in words, for the report. */
export function describeSegments(segments: Segments): {userActivity: string; targetPopularity: string} {
  return {
    userActivity: `cold: <= ${COLD_MAX} history positives; heavy: the top ${HEAVY_SHARE * 100}% of evaluated users by history positives (>= ${segments.heavyMin}); light: the rest`,
    targetPopularity:
      `head: the most popular items making the first ${HEAD_SHARE * 100}% of history interactions (${segments.itemCounts.head} items); ` +
      `tail: the items making the last ${TAIL_SHARE * 100}% and never-seen items (${segments.itemCounts.tail}); torso: the rest (${segments.itemCounts.torso}); ` +
      'a user counts in a segment when one of their targets is in it, and is scored on those targets only',
  }
}
