// Per-user item sequences in time order, and the causal window "last L items strictly before t".
import type {Positives} from './positives.js'

/** CSR over user rows: user u's items are items[offsets[u]..offsets[u+1]) in time order, with their ts. */
export interface UserHistory {
  offsets: Int32Array // [nUsers + 1]
  items: Int32Array
  ts: Float64Array
  /** Each entry's event code (eventCode); histories built from other rows than positives may lack it. */
  events?: Uint8Array
  /** The positives' weights (their event's weight in the rule); absent on histories built by hand. */
  weight?: Float32Array
}

/** Builds histories from the positives whose split code is in `splits` (e.g. [TRAIN] or [TRAIN, VAL]). */
export function buildHistory(positives: Positives, nUsers: number, splits: readonly number[]): UserHistory & {events: Uint8Array; weight: Float32Array} {
  const allowed = new Uint8Array(3)
  for (const s of splits) allowed[s] = 1
  const counts = new Int32Array(nUsers + 1)
  for (let i = 0; i < positives.userRow.length; i++) if (allowed[positives.split[i]]) counts[positives.userRow[i] + 1]++
  const offsets = new Int32Array(nUsers + 1)
  for (let u = 0; u < nUsers; u++) offsets[u + 1] = offsets[u] + counts[u + 1]
  const cursor = offsets.slice(0, nUsers)
  const items = new Int32Array(offsets[nUsers])
  const ts = new Float64Array(offsets[nUsers])
  const events = new Uint8Array(offsets[nUsers])
  const weight = new Float32Array(offsets[nUsers])
  for (let i = 0; i < positives.userRow.length; i++) {
    if (!allowed[positives.split[i]]) continue
    const p = cursor[positives.userRow[i]]++
    items[p] = positives.itemRow[i]
    ts[p] = positives.ts[i]
    events[p] = positives.event[i]
    weight[p] = positives.weight[i]
  }
  return {offsets, items, ts, events, weight}
}

/**
 * Index one past the last history entry of `user` strictly before `t` (binary search over the
 * user's ts), so the window [end - L, end) never includes the example itself or anything simultaneous.
 */
export function historyEndBefore(history: UserHistory, user: number, t: number): number {
  let lo = history.offsets[user]
  let hi = history.offsets[user + 1]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (history.ts[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Writes the last `maxLen` items of the window ending at `end` into `out` (left-aligned), returns the count. */
export function windowInto(history: UserHistory, user: number, end: number, maxLen: number, out: Int32Array, outOffset: number): number {
  const start = Math.max(history.offsets[user], end - maxLen)
  const n = end - start
  for (let i = 0; i < n; i++) out[outOffset + i] = history.items[start + i]
  return n
}

/**
 * [users.length, maxLen] windows, right-aligned (most recent last) and filled with `pad` before
 * the first item: for user i the items [ends[i] - maxLen, ends[i]) of `history`.
 */
export function rightAlignedWindows(history: UserHistory, users: Int32Array, ends: Int32Array, maxLen: number, pad: number): Int32Array {
  const out = new Int32Array(users.length * maxLen).fill(pad)
  for (let i = 0; i < users.length; i++) {
    const start = Math.max(history.offsets[users[i]], ends[i] - maxLen)
    const n = ends[i] - start
    for (let k = 0; k < n; k++) out[i * maxLen + maxLen - n + k] = history.items[start + k]
  }
  return out
}

/** Window ends at each user's full history (for evaluation and serving). */
export function historyEnds(history: UserHistory, users: Int32Array): Int32Array {
  return Int32Array.from(users, (u) => history.offsets[u + 1])
}
