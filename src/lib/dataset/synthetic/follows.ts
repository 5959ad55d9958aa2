// The follow graph before the window: homophily on interests plus preferential attachment, as CSR lists.
import type {Rng} from '../../random/rng.js'
import {AliasTable} from './draws.js'
import {groupRows} from './groups.js'
import {DAY_MS, type WorldParams} from './params.js'
import type {UserWorld} from './users.js'

/** Followees of user u are dst[offsets[u] .. offsets[u+1]), ascending; ts[e] is when edge e was made. */
export interface FollowGraph {
  offsets: Int32Array
  dst: Int32Array
  ts: Float64Array
}

/** Shares of edge picks: a user of a topic the follower likes, a user others already follow, an active user. */
const HOMOPHILY = 0.45
const ATTACHMENT = 0.3

function drawTopic(users: UserWorld, u: number, rng: Rng): number {
  const k = users.topics
  let r = rng.next()
  for (let z = 0; z < k - 1; z++) {
    r -= users.interest[u * k + z]
    if (r < 0) return z
  }
  return k - 1
}

export function generateFollows(users: UserWorld, params: WorldParams, rng: Rng): FollowGraph {
  const n = users.count
  const active = new AliasTable(users.activity)
  const buckets = groupRows(users.dominantTopic, users.topics) // users by dominant topic
  // Out-degree: lognormal around followsPerUser (sigma 0.8, mean-corrected), at most n - 1.
  const degree = new Int32Array(n)
  let total = 0
  for (let u = 0; u < n; u++) {
    degree[u] = Math.min(n - 1, Math.floor(params.followsPerUser * Math.exp(0.8 * rng.normal() - 0.32) + rng.next()))
    total += degree[u]
  }
  // Users join in a random order; the urn holds every followee picked so far, so a uniform draw
  // from it is a draw proportional to in-degree (preferential attachment).
  const order = rng.shuffle(Int32Array.from({length: n}, (_, i) => i))
  const urn = new Int32Array(total)
  let urnSize = 0
  const picked: Int32Array[] = new Array(n)
  for (const u of order) {
    const want = degree[u]
    const set = new Set<number>()
    for (let tries = 0; set.size < want && tries < want * 4; tries++) {
      const r = rng.next()
      let v: number
      if (r < HOMOPHILY) {
        const z = drawTopic(users, u, rng)
        const lo = buckets.offsets[z]
        const size = buckets.offsets[z + 1] - lo
        v = size > 0 ? buckets.rows[lo + rng.int(size)] : active.sample(rng)
      } else if (r < HOMOPHILY + ATTACHMENT && urnSize > 0) v = urn[rng.int(urnSize)]
      else v = active.sample(rng)
      if (v === u || set.has(v)) continue
      set.add(v)
      urn[urnSize++] = v
    }
    picked[u] = Int32Array.from(set).sort()
  }
  const offsets = new Int32Array(n + 1)
  for (let u = 0; u < n; u++) offsets[u + 1] = offsets[u] + picked[u].length
  const dst = new Int32Array(offsets[n])
  const ts = new Float64Array(offsets[n])
  for (let u = 0; u < n; u++) {
    dst.set(picked[u], offsets[u])
    // Made at some point in the younger account's life before the window.
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const age = Math.min(users.accountAgeDays[u], users.accountAgeDays[dst[e]])
      ts[e] = params.startMs - 1 - Math.floor(rng.next() * age * DAY_MS)
    }
  }
  return {offsets, dst, ts}
}

/** Whether u followed v before the window (binary search in u's sorted followees). */
export function followsBefore(graph: FollowGraph, u: number, v: number): boolean {
  let lo = graph.offsets[u]
  let hi = graph.offsets[u + 1]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const x = graph.dst[mid]
    if (x === v) return true
    if (x < v) lo = mid + 1
    else hi = mid
  }
  return false
}
