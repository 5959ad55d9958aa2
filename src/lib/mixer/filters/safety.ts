// Safety filter: item labels (nsfw, toxic) or the ranker's safety-head probabilities against thresholds.
import {candidateRows} from '../scorers/dot-rows.js'
import type {Candidate, Filter} from '../types.js'

export interface SafetyOptions {
  /** label -> probability at or above which the item is unsafe. */
  thresholds: Record<string, number>
  /** remove: drop unsafe items; penalty: keep them with score x (1 - penalty). */
  mode: 'remove' | 'penalty'
  penalty: number
}

/** `probability(label, rows)` gives per-row probabilities (1/0 for labels, NaN = unknown, treated as safe). */
export function safetyFilter(options: SafetyOptions, probability: (label: string, rows: Int32Array) => Float32Array | undefined): Filter {
  return {
    id: 'Safety',
    async apply(_query, candidates) {
      const rows = candidateRows(candidates)
      const unsafe = new Uint8Array(candidates.length)
      for (const [label, threshold] of Object.entries(options.thresholds)) {
        const p = probability(label, rows)
        if (p) for (let i = 0; i < rows.length; i++) if (p[i] >= threshold) unsafe[i] = 1
      }
      const kept: Candidate[] = []
      const removed: Candidate[] = []
      // candidates are the request's own objects: a penalised one is marked in place
      candidates.forEach((c, i) => {
        if (!unsafe[i]) kept.push(c)
        else if (options.mode === 'remove') removed.push(c)
        else {
          c.penalty = options.penalty
          kept.push(c)
        }
      })
      return {kept, removed}
    },
  }
}
