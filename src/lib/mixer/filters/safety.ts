// Safety filter: item labels (nsfw, toxic) or the ranker's safety-head probabilities against thresholds.
import type {Candidate, Filter} from '../types.js'

export interface SafetyOptions {
  /** label -> probability at or above which the item is unsafe. */
  thresholds: Record<string, number>
  /** remove: drop unsafe items; penalty: keep them with score x (1 - penalty). */
  mode: 'remove' | 'penalty'
  penalty: number
}

/**
 * One byte per item row, 1 = unsafe: some label's probability is at or above its threshold. `probability(label)`
 * gives a label's per-row probabilities (1/0 for published labels, NaN = unknown, treated as safe), or
 * undefined when nothing scores that label. Labels and the ranker's safety heads depend on the item alone,
 * so this is decided once per load instead of per candidate and request.
 */
export function unsafeRows(thresholds: SafetyOptions['thresholds'], rows: number, probability: (label: string) => ArrayLike<number> | undefined): Uint8Array {
  const unsafe = new Uint8Array(rows)
  for (const [label, threshold] of Object.entries(thresholds)) {
    const p = probability(label)
    if (p) for (let row = 0; row < rows; row++) if (p[row] >= threshold) unsafe[row] = 1
  }
  return unsafe
}

/** `unsafe` is unsafeRows(options.thresholds, ...) of the serving world. */
export function safetyFilter(options: SafetyOptions, unsafe: Uint8Array): Filter {
  return {
    id: 'Safety',
    async apply(_query, candidates) {
      const kept: Candidate[] = []
      const removed: Candidate[] = []
      for (const c of candidates) {
        if (!unsafe[c.row]) kept.push(c)
        else if (options.mode === 'remove') removed.push(c)
        else {
          // candidates are the request's own objects: a penalised one is marked in place
          c.penalty = options.penalty
          kept.push(c)
        }
      }
      return {kept, removed}
    },
  }
}
