// Community source (SimClusters-like): the user's top topics from history -> popular items in those topics.
import type {ServingWorld} from '../world.js'
import {type Candidate, type CandidateSource, makeCandidate} from '../types.js'

/** Undefined when items carry no topic column. Topics are weighted by their share of the last 50 history items. */
export function communitySource(world: ServingWorld, topTopics = 3): CandidateSource | undefined {
  const topic = world.topic
  if (!topic || world.topicNames.length === 0) return undefined
  return {
    id: 'Community',
    async apply(query, quota) {
      const counts = new Map<number, number>()
      const from = Math.max(0, query.history.length - 50)
      for (let h = from; h < query.history.length; h++) {
        const t = topic[query.history[h]]
        if (t >= 0) counts.set(t, (counts.get(t) ?? 0) + 1)
      }
      const total = query.history.length - from
      const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, topTopics)
      const out: Candidate[] = []
      for (const [t, count] of top) {
        const share = Math.ceil((quota * count) / top.reduce((s, [, c]) => s + c, 0))
        const rows = world.topicPopular[t]
        let taken = 0
        for (let i = 0; i < rows.length && taken < share; i++) {
          if (query.seen.has(rows[i])) continue
          // rank within the topic discounted by the topic's weight for this user
          out.push(makeCandidate(rows[i], 'Community', count / total / (1 + i), t))
          taken++
        }
      }
      return out.slice(0, quota)
    },
    reason: (_query, c) => `popular in #${world.topicNames[c.via]}`,
  }
}
