// Graph source (RealGraph-like): items engaged by users the user follows or co-engages with, weighted by closeness.
import {UNKNOWN_EVENT} from '../../dataset/event-codes.js'
import {theirEvent} from '../reasons.js'
import type {ServingWorld} from '../world.js'
import {type CandidateSource, makeCandidate} from '../types.js'
import {DenseSums} from '../../kernels/dense-sums.js'

const MAX_POSTINGS = 50 // most recent engagers read per history item: bounds a request at 20 x 50 users
const NEIGHBOURS = 20
const RECENT = 20 // most recent engagements read per neighbour

/** Neighbour weights: follow weight (followed authors who are users) + co-engagements / sqrt(neighbour's activity). */
function neighbours(world: ServingWorld, userRow: number, history: Int32Array, weights: DenseSums): number[] {
  for (const {userRow: row, weight} of world.follows?.get(userRow) ?? []) {
    if (row > 0) weights.add(row, weight)
  }
  const {offsets, items: users} = world.itemUsers
  for (let h = Math.max(0, history.length - 20); h < history.length; h++) {
    const item = history[h]
    for (let p = Math.max(offsets[item], offsets[item + 1] - MAX_POSTINGS); p < offsets[item + 1]; p++) {
      const other = users[p]
      if (other === userRow || other === 0) continue
      const activity = world.history.offsets[other + 1] - world.history.offsets[other]
      weights.add(other, 1 / Math.sqrt(Math.max(activity, 1)))
    }
  }
  return weights.top(NEIGHBOURS)
}

export function graphSource(world: ServingWorld): CandidateSource {
  const weights = new DenseSums(world.users.size)
  const scores = new DenseSums(world.items.size, true)
  return {
    id: 'Graph',
    async apply(query, quota) {
      const {offsets, items} = world.history
      try {
        for (const other of neighbours(world, query.userRow, query.history, weights)) {
          const weight = weights.sums[other]
          // the neighbour's most recent engagements, newer ones worth more; tagged with the first neighbour to reach the item
          for (let p = offsets[other + 1] - 1, rank = 0; p >= offsets[other] && rank < RECENT; p--, rank++) {
            if (!query.seen.has(items[p])) scores.add(items[p], weight / (1 + 0.1 * rank), other)
          }
        }
        return scores.top(quota).map((row) => makeCandidate(row, 'Graph', scores.sums[row], scores.tags[row]))
      } finally {
        weights.clear()
        scores.clear()
      }
    },
    reason: (_query, c) => `${theirEvent(`@${world.users.id(c.via)}`, neighbourEvent(world, c.via, c.row))}, whose taste is close to yours`,
  }
}

/** The event of the neighbour's latest entry for `row` among the engagements apply read (asked only for shown items). */
function neighbourEvent(world: ServingWorld, other: number, row: number): number {
  const {offsets, items, events} = world.history
  for (let p = offsets[other + 1] - 1, rank = 0; p >= offsets[other] && rank < RECENT; p--, rank++) if (items[p] === row) return events[p]
  return UNKNOWN_EVENT
}
