// In-network source: the most recent items of the authors the user follows.
import type {ServingWorld} from '../world.js'
import {type CandidateSource, makeCandidate} from '../types.js'

/** Undefined when the dataset has no follows or no item authors (MovieLens): the source is skipped. */
export function inNetworkSource(world: ServingWorld): CandidateSource | undefined {
  const follows = world.follows
  if (!follows || !world.authorCode) return undefined
  return {
    id: 'InNetwork',
    async apply(query, quota) {
      const followed = follows.get(query.userRow) ?? []
      const picked: {row: number; created: number; author: bigint}[] = []
      // the newest few per author, so one prolific author cannot fill the quota alone
      const perAuthor = Math.max(3, Math.ceil((2 * quota) / Math.max(followed.length, 1)))
      for (const {author, items: rows} of followed) {
        let taken = 0
        for (let i = 0; i < rows.length && taken < perAuthor; i++) {
          if (query.seen.has(rows[i]) || (world.createdAt && world.createdAt[rows[i]] > query.now)) continue
          picked.push({row: rows[i], created: world.createdAt?.[rows[i]] ?? rows[i], author})
          taken++
        }
      }
      picked.sort((a, b) => b.created - a.created || a.row - b.row)
      return picked.slice(0, quota).map(({row, created, author}) => {
        const ageDays = Math.max(0, query.now - created) / 86_400_000
        return makeCandidate(row, world.items.id(row)!, 'InNetwork', 1 / (1 + ageDays), () => `you follow @${author}`, true)
      })
    },
  }
}
