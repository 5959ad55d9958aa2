// A random feed for baselines (rec simulate's "does the model beat chance?"): uniform items as a source, a uniform score as a scorer.
import type {ServingWorld} from './world.js'
import {type Candidate, type CandidateSource, makeCandidate, type Scorer} from './types.js'

/** `quota` distinct item rows drawn uniformly from 1..n-1 (row 0 is OOV), skipping seen ones; draws from the request's seeded rng. */
export function randomSource(world: ServingWorld): CandidateSource {
  return {
    id: 'Random',
    async apply(query, quota) {
      const n = world.items.size
      const picked = new Set<number>()
      const out: Candidate[] = []
      // at most 4 x quota draws: a catalogue mostly seen gives fewer, never a long loop
      for (let tries = 0; tries < 4 * quota && out.length < quota && n > 1; tries++) {
        const row = 1 + query.rng.int(n - 1)
        if (picked.has(row) || query.seen.has(row)) continue
        picked.add(row)
        out.push(makeCandidate(row, 'Random', 0))
      }
      return out
    },
    reason: () => 'a random pick',
  }
}

/** A uniform score in [0, 1) per candidate from the request's seeded rng: the candidates in random order. */
export const randomScorer: Scorer = {
  id: 'Random',
  async apply(query, candidates) {
    const random = Float64Array.from(candidates, () => query.rng.next())
    return {random, final: random}
  },
}
