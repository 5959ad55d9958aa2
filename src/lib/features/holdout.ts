// The held-out ranking task of a split: who is evaluated, what they must find, what is excluded.
import {TEST, TRAIN, VAL} from '../dataset/schema.js'
import {buildHistory, type UserHistory} from './history.js'
import type {Positives} from './positives.js'

/** CSR lists over evaluated users (index i = users[i]). */
export interface RankingTask {
  split: 'val' | 'test'
  users: Int32Array
  /** The OOV row 0 and the user's history items (train; train+val for test): never ranked. */
  exclude: {offsets: Int32Array; rows: Int32Array}
  /** Held-out positives not already in the history. */
  targets: {offsets: Int32Array; rows: Int32Array}
  /** The history the model may read (same splits as `exclude`). */
  history: UserHistory
  /** Users with positives in the split but no target left after exclusion, and users with none. */
  skipped: {noTarget: number; onlySeenTargets: number}
}

/**
 * Val: history = train. Test: history = train + val. Nothing of the evaluated split reaches the
 * history, and nothing later than it reaches either.
 */
export function buildRankingTask(positives: Positives, nUsers: number, split: 'val' | 'test'): RankingTask {
  const historySplits = split === 'val' ? [TRAIN] : [TRAIN, VAL]
  const history = buildHistory(positives, nUsers, historySplits)
  const held = buildHistory(positives, nUsers, [split === 'val' ? VAL : TEST])
  const users: number[] = []
  const targetRows: number[] = []
  const targetOffsets: number[] = [0]
  const excludeRows: number[] = []
  const excludeOffsets: number[] = [0]
  let noTarget = 0
  let onlySeenTargets = 0
  for (let u = 1; u < nUsers; u++) {
    const h0 = held.offsets[u]
    const h1 = held.offsets[u + 1]
    if (h0 === h1) {
      noTarget++
      continue
    }
    const seen = new Set<number>()
    for (let i = history.offsets[u]; i < history.offsets[u + 1]; i++) seen.add(history.items[i])
    const targets = new Set<number>()
    for (let i = h0; i < h1; i++) if (!seen.has(held.items[i])) targets.add(held.items[i])
    if (targets.size === 0) {
      onlySeenTargets++
      continue
    }
    users.push(u)
    for (const t of [...targets].sort((a, b) => a - b)) targetRows.push(t)
    targetOffsets.push(targetRows.length)
    // Row 0 is the out-of-vocabulary item: never a recommendation.
    excludeRows.push(0)
    for (const s of [...seen].sort((a, b) => a - b)) if (s !== 0) excludeRows.push(s)
    excludeOffsets.push(excludeRows.length)
  }
  return {
    split,
    users: Int32Array.from(users),
    exclude: {offsets: Int32Array.from(excludeOffsets), rows: Int32Array.from(excludeRows)},
    targets: {offsets: Int32Array.from(targetOffsets), rows: Int32Array.from(targetRows)},
    history,
    skipped: {noTarget, onlySeenTargets},
  }
}
