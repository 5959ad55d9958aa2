// Diversity caps: at most N items per author or per topic, keeping the best-scored ones in order.
import {topicOf} from '../reasons.js'
import type {ServingWorld} from '../world.js'
import type {Candidate, Selector} from '../types.js'

function capBy(id: string, max: number, key: (c: Candidate) => string | undefined): Selector {
  return {
    id,
    apply(_query, candidates) {
      const counts = new Map<string, number>()
      return candidates.filter((c) => {
        const k = key(c)
        if (k === undefined) return true
        const n = counts.get(k) ?? 0
        counts.set(k, n + 1)
        return n < max
      })
    },
  }
}

/** Items without an author are never capped. */
export function authorCap(world: ServingWorld, max: number): Selector {
  return capBy('AuthorCap', max, (c) => (world.author && world.author[c.row] >= 0n ? String(world.author[c.row]) : undefined))
}

export function topicCap(world: ServingWorld, max: number): Selector {
  return capBy('TopicCap', max, (c) => topicOf(world, c.row))
}

/** Keeps the first k. */
export function take(k: number): Selector {
  return {id: 'Take', apply: (query, candidates) => candidates.slice(0, Math.min(k, query.k))}
}
