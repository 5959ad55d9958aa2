// In/out-of-network balance and the exploration slot.
import type {Candidate, Selector} from '../types.js'

/**
 * Interleaves so that the first k hold at most `maxInNetwork` (a fraction) in-network items while
 * out-of-network ones remain; each side keeps its score order.
 */
export function networkBalance(maxInNetwork: number): Selector {
  return {
    id: 'NetworkBalance',
    apply(query, candidates) {
      const inside = candidates.filter((c) => c.inNetwork)
      const outside = candidates.filter((c) => !c.inNetwork)
      const out: Candidate[] = []
      let nIn = 0
      while (inside.length > 0 || outside.length > 0) {
        const room = nIn + 1 <= maxInNetwork * Math.min(query.k, out.length + 1)
        const preferIn = inside.length > 0 && (outside.length === 0 || (room && inside[0].score >= outside[0].score))
        const next = preferIn ? inside.shift()! : outside.shift()!
        if (next.inNetwork) nIn++
        out.push(next)
      }
      return out
    },
  }
}

/**
 * With probability `rate` (drawn from the request's seeded rng) moves one random candidate from
 * beyond the first k into the last slot of the first k, tagged as exploration.
 *
 * Propensity of the slot k - 1 (the only random one; slots 0..k-2 hold what they held before): with
 * n candidates, the policy explores with probability `rate` and then picks each of the n - k beyond
 * the first k with probability 1 / (n - k), so an explored item was shown there with probability
 * rate / (n - k); otherwise the item already at k - 1 stays there, with probability 1 - rate (an
 * exploring draw never picks it: it pushes it to slot k). With n <= k nothing is drawn and no slot is random.
 */
export function explorationSlot(rate: number): Selector {
  return {
    id: 'Exploration',
    apply(query, candidates) {
      const k = Math.min(query.k, candidates.length)
      if (k === 0 || candidates.length <= k) return candidates
      if (query.rng.next() >= rate) {
        candidates[k - 1].propensity = 1 - rate
        return candidates
      }
      const pick = k + query.rng.int(candidates.length - k)
      const picked = candidates[pick]
      picked.explored = true
      picked.propensity = rate / (candidates.length - k)
      const out = candidates.filter((_, i) => i !== pick)
      out.splice(k - 1, 0, picked)
      return out
    },
  }
}
