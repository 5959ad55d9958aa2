// In/out-of-network balance and the exploration slot.
import type {Candidate, Selector} from '../types.js'

/**
 * Interleaves in- and out-of-network candidates, each side in the order it came (by score, or as Mmr left it), so
 * that the first k hold at most `maxInNetwork` (a share) in-network items while out-of-network ones remain, and at
 * least `minInNetwork` of them (rounded to the nearest item, within the cap) while in-network ones remain.
 *
 * The floor is there because a merge by score alone shows a follower none of the followed: in-network candidates
 * are the followed authors' newest items, out-of-network ones the user vector's nearest in the whole index, and the
 * scorers (that cosine, or a ranker fed it) rank the nearest first. On a gen-data world (500 users, 6 follows each
 * on average) the best in-network candidate ranked ~50th by score (median), and 264 of 298 users with follows got
 * no in-network item in a feed of 10.
 */
export function networkBalance(maxInNetwork: number, minInNetwork = 0): Selector {
  return {
    id: 'NetworkBalance',
    apply(query, candidates) {
      const inside = candidates.filter((c) => c.inNetwork)
      const outside = candidates.filter((c) => !c.inNetwork)
      const k = Math.min(query.k, candidates.length)
      const floor = Math.min(inside.length, Math.round(minInNetwork * k), Math.floor(maxInNetwork * k))
      const out: Candidate[] = []
      let nIn = 0
      while (inside.length > 0 || outside.length > 0) {
        const at = out.length
        // the floor's items are placed by score, but before the last of the first k when they fit: the
        // Exploration selector puts its pick there and pushes the item out of the feed
        const owed = floor - nIn
        const due = at < k && owed > 0 && owed >= k - 1 - at
        const room = nIn + 1 <= maxInNetwork * Math.min(query.k, at + 1)
        const preferIn = inside.length > 0 && (outside.length === 0 || due || (room && inside[0].score >= outside[0].score))
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
