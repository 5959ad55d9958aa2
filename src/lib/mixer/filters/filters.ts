// Cheap filters: already seen (history + session) and duplicates across sources.
import type {Candidate, Filter} from '../types.js'

/** Removes candidates the user has already engaged with; never reorders. */
export const previouslySeen: Filter = {
  id: 'PreviouslySeen',
  async apply(query, candidates) {
    const kept: Candidate[] = []
    const removed: Candidate[] = []
    for (const c of candidates) (query.seen.has(c.row) || c.row === 0 ? removed : kept).push(c)
    return {kept, removed}
  },
}

/** Keeps the first copy of each item (sources run in config order); later copies are removed. */
export const duplicates: Filter = {
  id: 'Duplicates',
  async apply(_query, candidates) {
    const kept: Candidate[] = []
    const removed: Candidate[] = []
    const rows = new Set<number>()
    for (const c of candidates) {
      if (rows.has(c.row)) removed.push(c)
      else {
        rows.add(c.row)
        kept.push(c)
      }
    }
    return {kept, removed}
  },
}
