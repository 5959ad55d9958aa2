// Diversity caps: at most N items per author or per topic, keeping the best-scored ones in order.
import {DenseSums} from '../../kernels/dense-sums.js'
import type {ServingWorld} from '../world.js'
import type {Candidate, Selector} from '../types.js'

/** `codes[row]` is the row's group (-1 = none: never capped). */
function capBy(id: string, max: number, codes: Int32Array): Selector {
  let groups = 0
  for (const code of codes) groups = Math.max(groups, code + 1)
  const counts = new DenseSums(groups)
  return {
    id,
    apply(_query, candidates) {
      const kept: Candidate[] = []
      for (const c of candidates) {
        const code = codes[c.row]
        if (code >= 0 && counts.sums[code] >= max) continue
        if (code >= 0) counts.add(code, 1)
        kept.push(c)
      }
      counts.clear()
      return kept
    },
  }
}

/** Undefined when items have no author_id (there is nothing to cap); items without an author are never capped. */
export function authorCap(world: ServingWorld, max: number): Selector | undefined {
  return world.authorCode && capBy('AuthorCap', max, world.authorCode)
}

/** Undefined when items have no topic column. */
export function topicCap(world: ServingWorld, max: number): Selector | undefined {
  return world.topic && capBy('TopicCap', max, world.topic)
}

/** Keeps the first k (the route has already bounded k by max-k). */
export const take: Selector = {id: 'Take', apply: (query, candidates) => candidates.slice(0, query.k)}
