// Diversity caps: at most N items per author or per topic, keeping the best-scored ones in order.
import type {ServingWorld} from '../world.js'
import type {Selector} from '../types.js'

/** `codes[row]` is the row's group (-1 = none: never capped); numeric codes keep the ~450 checks per request allocation-free. */
function capBy(id: string, max: number, codes: Int32Array | undefined): Selector {
  return {
    id,
    apply(_query, candidates) {
      if (!codes) return candidates
      const counts = new Map<number, number>()
      return candidates.filter((c) => {
        const code = codes[c.row]
        if (code < 0) return true
        const n = counts.get(code) ?? 0
        counts.set(code, n + 1)
        return n < max
      })
    },
  }
}

/** Items without an author are never capped. */
export function authorCap(world: ServingWorld, max: number): Selector {
  return capBy('AuthorCap', max, world.authorCode)
}

export function topicCap(world: ServingWorld, max: number): Selector {
  return capBy('TopicCap', max, world.topic)
}

/** Keeps the first k. */
export function take(k: number): Selector {
  return {id: 'Take', apply: (query, candidates) => candidates.slice(0, Math.min(k, query.k))}
}
