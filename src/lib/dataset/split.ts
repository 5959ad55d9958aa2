// Time-based splits written into interactions.split: leave-last-out per user, or global cut-offs.
import {RecError} from '../errors.js'
import {type SplitSpec} from './manifest.js'
import {TEST, TRAIN, VAL} from './schema.js'

export interface SplitInput {
  userId: BigInt64Array
  ts: Float64Array
}

/** Row order by (ts, source row): the stable time order every stage agrees on. */
export function timeOrder(ts: Float64Array): Uint32Array {
  const order = new Uint32Array(ts.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  // Stored datasets are already in time order; the comparison sort would still take ~2 s at 10M rows.
  let sorted = true
  for (let i = 1; i < ts.length && sorted; i++) sorted = ts[i] >= ts[i - 1]
  if (!sorted) order.sort((a, b) => ts[a] - ts[b] || a - b)
  return order
}

/**
 * Per user, in time order: the last interaction -> test, the second-last -> val, the rest -> train.
 * Users with fewer than 3 interactions keep everything in train.
 */
export function leaveLastOut(input: SplitInput): Uint8Array {
  const split = new Uint8Array(input.ts.length) // TRAIN = 0
  const order = timeOrder(input.ts)
  const last = new Map<bigint, number[]>() // user -> [count, last row, second-last row]
  for (const row of order) {
    const u = input.userId[row]
    const state = last.get(u)
    if (state) {
      state[0]++
      state[2] = state[1]
      state[1] = row
    } else last.set(u, [1, row, -1])
  }
  for (const [count, lastRow, secondRow] of last.values()) {
    if (count < 3) continue
    split[lastRow] = TEST
    split[secondRow] = VAL
  }
  return split
}

/**
 * Global cut-offs: the latest `testFrac` of interactions by time -> test, the `valFrac` before -> val.
 * Rows sharing the cut-off timestamp go to the later split, so a timestamp never straddles two splits.
 */
export function temporalGlobal(input: SplitInput, valFrac: number, testFrac: number): {split: Uint8Array; valStartMs: number; testStartMs: number} {
  if (!(valFrac >= 0 && testFrac > 0 && valFrac + testFrac < 1)) {
    throw new RecError('INVALID_ARGUMENT', `temporal-global needs 0 <= val-frac, 0 < test-frac and val-frac + test-frac < 1 (got ${valFrac}, ${testFrac})`)
  }
  const n = input.ts.length
  const order = timeOrder(input.ts)
  const at = (frac: number) => input.ts[order[Math.min(n - 1, Math.max(0, Math.floor(n * (1 - frac))))]]
  const testStartMs = at(testFrac)
  const valStartMs = valFrac > 0 ? at(testFrac + valFrac) : testStartMs
  const split = new Uint8Array(n)
  for (let i = 0; i < n; i++) split[i] = input.ts[i] >= testStartMs ? TEST : input.ts[i] >= valStartMs ? VAL : TRAIN
  return {split, valStartMs, testStartMs}
}

export type SplitRequest = {method: 'leave-last-out'} | {method: 'temporal-global'; valFrac: number; testFrac: number}

export function assignSplit(input: SplitInput, request: SplitRequest): {split: Uint8Array; spec: SplitSpec} {
  if (request.method === 'leave-last-out') return {split: leaveLastOut(input), spec: {method: 'leave-last-out'}}
  const {split, valStartMs, testStartMs} = temporalGlobal(input, request.valFrac, request.testFrac)
  return {split, spec: {method: 'temporal-global', valFrac: request.valFrac, testFrac: request.testFrac, valStartMs, testStartMs}}
}
