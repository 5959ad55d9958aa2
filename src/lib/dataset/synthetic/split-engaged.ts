// The split of the synthetic interactions: leave-last-out over engaged impressions, or global time cut-offs.
import type {SplitSpec} from '../manifest.js'
import {TEST, TRAIN, VAL} from '../schema.js'
import {assignSplit, type SplitRequest} from '../split.js'
import {toIds} from './ids.js'
import {IS_POSITIVE, USER_ID_BASE} from './vocab.js'

/** Interaction rows in time order (dense user rows). */
export interface SortedRows {
  user: Int32Array
  userId: BigInt64Array
  ts: Float64Array
  /** ts of the impression each row belongs to. */
  anchorTs: Float64Array
  event: Uint8Array
}

/**
 * temporal-global: assignSplit over every row by its own ts (what a model deployed at the cut-off
 * would have seen: an impression before the cut-off whose click came after is train, the click test).
 *
 * leave-last-out: impressions are about 70% of the rows, so leaving out a user's last *row* would
 * mostly hold out an unengaged impression, and leaving out the last positive row alone would leave
 * its impression (and any earlier click on the same item) in train, where a seen-item filter drops
 * the target. So the unit is the engaged impression (an impression with at least one positive
 * event): assignSplit's leave-last-out over those picks each user's last (test) and second-last
 * (val) one, and every row of that user from that impression's ts on goes with it. Test therefore
 * holds the target impression, all its events and the user's later unengaged rows; train holds only
 * what happened before the val impression. Users with fewer than 3 engaged impressions stay in train.
 */
export function splitSyntheticRows(rows: SortedRows, users: number, request: SplitRequest): {split: Uint8Array; spec: SplitSpec} {
  if (request.method === 'temporal-global') return assignSplit({userId: rows.userId, ts: rows.ts}, request)
  const n = rows.ts.length
  const lastAnchor = new Float64Array(users).fill(-Infinity)
  const groupUser: number[] = []
  const groupTs: number[] = []
  for (let r = 0; r < n; r++) {
    if (!IS_POSITIVE[rows.event[r]]) continue
    const u = rows.user[r]
    if (rows.anchorTs[r] === lastAnchor[u]) continue
    lastAnchor[u] = rows.anchorTs[r]
    groupUser.push(u)
    groupTs.push(rows.anchorTs[r])
  }
  const {split: groupSplit, spec} = assignSplit({userId: toIds(groupUser, USER_ID_BASE), ts: Float64Array.from(groupTs)}, request)
  const valFrom = new Float64Array(users).fill(Infinity)
  const testFrom = new Float64Array(users).fill(Infinity)
  for (let g = 0; g < groupSplit.length; g++) {
    if (groupSplit[g] === TEST) testFrom[groupUser[g]] = groupTs[g]
    else if (groupSplit[g] === VAL) valFrom[groupUser[g]] = groupTs[g]
  }
  const split = new Uint8Array(n)
  for (let r = 0; r < n; r++) {
    const u = rows.user[r]
    split[r] = rows.ts[r] >= testFrom[u] ? TEST : rows.ts[r] >= valFrom[u] ? VAL : TRAIN
  }
  return {split, spec}
}
