// In-network source: the most recent items of the authors the user follows.
import type {ServingWorld} from '../world.js'
import {type CandidateSource, makeCandidate} from '../types.js'

/** Undefined when the dataset has no follows or no item authors (MovieLens): the source is skipped. */
export function inNetworkSource(world: ServingWorld): CandidateSource | undefined {
  const follows = world.follows
  if (!follows || !world.authorCode) return undefined
  const createdAt = world.createdAt
  return {
    id: 'InNetwork',
    async apply(query, quota) {
      const followed = follows.get(query.userRow) ?? []
      // per picked item: its row, recency (creation time, or the row without created_at) and author's position in `followed`
      const rows: number[] = []
      const created: number[] = []
      const author: number[] = []
      // the newest few per author, so one prolific author cannot fill the quota alone
      const perAuthor = Math.max(3, Math.ceil((2 * quota) / Math.max(followed.length, 1)))
      for (let f = 0; f < followed.length; f++) {
        const items = followed[f].items
        let taken = 0
        for (let i = 0; i < items.length && taken < perAuthor; i++) {
          const row = items[i]
          if (query.seen.has(row) || (createdAt && createdAt[row] > query.now)) continue
          rows.push(row)
          created.push(createdAt ? createdAt[row] : row)
          author.push(f)
          taken++
        }
      }
      const order = Array.from(rows.keys()).sort((a, b) => (created[b] > created[a] ? 1 : created[b] < created[a] ? -1 : rows[a] - rows[b] || a - b))
      return order.slice(0, quota).map((i) => {
        const ageDays = Math.max(0, query.now - created[i]) / 86_400_000
        return makeCandidate(rows[i], 'InNetwork', 1 / (1 + ageDays), author[i], true)
      })
    },
    reason: (query, c) => `you follow @${follows.get(query.userRow)?.[c.via]?.author}`,
  }
}
