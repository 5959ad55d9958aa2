// Cheap filters: already seen (history + session) and duplicates across sources.
import {DenseSums} from '../../kernels/dense-sums.js'
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
export function duplicates(rows: number): Filter {
  const marked = new DenseSums(rows)
  return {
    id: 'Duplicates',
    async apply(_query, candidates) {
      const kept: Candidate[] = []
      const removed: Candidate[] = []
      for (const c of candidates) {
        if (marked.has(c.row)) removed.push(c)
        else {
          marked.add(c.row, 1)
          kept.push(c)
        }
      }
      marked.clear()
      return {kept, removed}
    },
  }
}
