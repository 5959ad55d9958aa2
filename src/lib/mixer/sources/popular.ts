// Popular/trending source: recency-decayed engagement counts; the cold-start fallback.
import {topicOf} from '../reasons.js'
import type {ServingWorld} from '../world.js'
import {type CandidateSource, makeCandidate} from '../types.js'

export function popularSource(world: ServingWorld): CandidateSource {
  return {
    id: 'Popular',
    async apply(query, quota) {
      const out = []
      const {rows, scores} = world.popular
      for (let i = 0; i < rows.length && out.length < quota; i++) {
        if (query.seen.has(rows[i])) continue
        const row = rows[i]
        out.push(makeCandidate(row, world.items.id(row)!, 'Popular', scores[i], () => {
          const topic = topicOf(world, row)
          return topic ? `trending in #${topic}` : 'trending now'
        }))
      }
      return out
    },
  }
}
