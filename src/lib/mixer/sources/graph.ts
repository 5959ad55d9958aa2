// Graph source (RealGraph-like): items engaged by users the user follows or co-engages with, weighted by closeness.
import type {ServingWorld} from '../world.js'
import {type CandidateSource, makeCandidate} from '../types.js'

const MAX_POSTINGS = 50 // most recent engagers read per history item: bounds a request at 20 x 50 users
const NEIGHBOURS = 20

/** Neighbour weights: follow weight (followed authors who are users) + co-engagements / sqrt(neighbour's activity). */
function neighbours(world: ServingWorld, userRow: number, history: Int32Array): [number, number][] {
  const weights = new Map<number, number>()
  for (const {userRow: row, weight} of world.follows?.get(userRow) ?? []) {
    if (row > 0) weights.set(row, (weights.get(row) ?? 0) + weight)
  }
  const {offsets, items: users} = world.itemUsers
  for (let h = Math.max(0, history.length - 20); h < history.length; h++) {
    const item = history[h]
    for (let p = Math.max(offsets[item], offsets[item + 1] - MAX_POSTINGS); p < offsets[item + 1]; p++) {
      const other = users[p]
      if (other === userRow || other === 0) continue
      const activity = world.history.offsets[other + 1] - world.history.offsets[other]
      weights.set(other, (weights.get(other) ?? 0) + 1 / Math.sqrt(Math.max(activity, 1)))
    }
  }
  return [...weights].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, NEIGHBOURS)
}

export function graphSource(world: ServingWorld): CandidateSource {
  return {
    id: 'Graph',
    async apply(query, quota) {
      const scores = new Map<number, {score: number; via: number}>()
      for (const [other, weight] of neighbours(world, query.userRow, query.history)) {
        const {offsets, items} = world.history
        // the neighbour's 20 most recent engagements, newer ones worth more
        for (let p = offsets[other + 1] - 1, rank = 0; p >= offsets[other] && rank < 20; p--, rank++) {
          const row = items[p]
          if (query.seen.has(row)) continue
          const entry = scores.get(row) ?? {score: 0, via: other}
          entry.score += weight / (1 + 0.1 * rank)
          scores.set(row, entry)
        }
      }
      return [...scores]
        .sort((a, b) => b[1].score - a[1].score || a[0] - b[0])
        .slice(0, quota)
        .map(([row, {score, via}]) => makeCandidate(row, world.items.id(row)!, 'Graph', score, () => `liked by @${world.users.id(via)}, whose taste is close to yours`))
    },
  }
}
