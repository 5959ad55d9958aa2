// Popular/trending source: recency-decayed engagement counts; the cold-start fallback.
import {topicOf} from '../reasons.js'
import type {ServingWorld} from '../world.js'
import {type Candidate, type CandidateSource, makeCandidate} from '../types.js'

export function popularSource(world: ServingWorld): CandidateSource {
  return {
    id: 'Popular',
    async apply(query, quota) {
      const out: Candidate[] = []
      const {rows, scores} = world.popular
      for (let i = 0; i < rows.length && out.length < quota; i++) {
        if (!query.seen.has(rows[i])) out.push(makeCandidate(rows[i], 'Popular', scores[i]))
      }
      return out
    },
    reason(_query, c) {
      const topic = topicOf(world, c.row)
      return topic ? `trending in #${topic}` : 'trending now'
    },
  }
}
