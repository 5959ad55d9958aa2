// The logging policy: which item a feed shows next, from in-network, topic and popular sources, never before it exists.
import {lowerBound, lowerBoundIn} from '../../kernels/lower-bound.js'
import type {Rng} from '../../random/rng.js'
import {exponential} from './draws.js'
import {type Groups, groupRows} from './groups.js'
import type {ItemWorld} from './items.js'
import type {LiveFollows} from './live-follows.js'
import type {UserWorld} from './users.js'
import {SRC} from './vocab.js'

/** Shares of feed slots by source; a source with nothing to offer falls through to the next. */
const IN_NETWORK_SHARE = 0.35
const TOPIC_SHARE = 0.5
/** Topic slots follow the user's true interests 80% of the time, explore a uniform topic otherwise. */
const TOPIC_EXPLOIT = 0.8
const HOUR = 3_600_000
/** Items of the last ~8 feed slots per user are not shown again. */
const SEEN_SLOTS = 8

export class CandidatePicker {
  /** Result of the last successful pick. */
  item = -1
  source = 0
  /** Positive engagements per item so far: the popular source favours them (rich get richer). */
  readonly engagements: Int32Array
  private readonly byTopic: Groups
  private readonly byAuthor: Groups
  /** createdAt of byTopic.rows / byAuthor.rows, side by side: a binary search probes one contiguous array instead of a row then its createdAt (two cache misses). */
  private readonly topicTs: Float64Array
  private readonly authorTs: Float64Array
  private readonly seen: Int32Array
  private readonly seenNext: Uint8Array

  constructor(
    private readonly users: UserWorld,
    private readonly items: ItemWorld,
    private readonly follows: LiveFollows,
  ) {
    this.byTopic = groupRows(items.topic, users.topics)
    this.byAuthor = groupRows(items.author, users.count)
    this.topicTs = Float64Array.from(this.byTopic.rows, (i) => items.createdAt[i])
    this.authorTs = Float64Array.from(this.byAuthor.rows, (i) => items.createdAt[i])
    this.engagements = new Int32Array(items.count)
    this.seen = new Int32Array(users.count * SEEN_SLOTS).fill(-1)
    this.seenNext = new Uint8Array(users.count)
  }

  /** Picks an item for user u's feed at time t (created strictly before t); false only when none exists yet. */
  pick(u: number, t: number, rng: Rng): boolean {
    const r = rng.next()
    let ok = false
    if (r < IN_NETWORK_SHARE) ok = this.inNetwork(u, t, rng)
    if (!ok && r < IN_NETWORK_SHARE + TOPIC_SHARE) ok = this.topic(u, t, rng)
    if (!ok) ok = this.popular(u, t, rng)
    if (ok) {
      this.seen[u * SEEN_SLOTS + this.seenNext[u]] = this.item
      this.seenNext[u] = (this.seenNext[u] + 1) % SEEN_SLOTS
    }
    return ok
  }

  private fresh(u: number, i: number): boolean {
    if (this.items.author[i] === u) return false
    for (let s = u * SEEN_SLOTS, e = s + SEEN_SLOTS; s < e; s++) if (this.seen[s] === i) return false
    return true
  }

  /** A recent item (about 1.5 posts back) of a random followee. */
  private inNetwork(u: number, t: number, rng: Rng): boolean {
    const n = this.follows.count(u)
    for (let attempt = 0; n > 0 && attempt < 3; attempt++) {
      const v = this.follows.followee(u, rng.int(n))
      const lo = this.byAuthor.offsets[v]
      const end = lowerBoundIn(this.authorTs, lo, this.byAuthor.offsets[v + 1], t)
      if (end === lo) continue
      const k = Math.max(lo, end - 1 - Math.floor(exponential(rng, 1.5)))
      const i = this.byAuthor.rows[k]
      if (!this.fresh(u, i)) continue
      this.item = i
      this.source = SRC.inNetwork
      return true
    }
    return false
  }

  /** The better (by quality) of two items of one topic, each about a day old (exponential age). */
  private topic(u: number, t: number, rng: Rng): boolean {
    const k = this.users.topics
    let z = k - 1
    if (rng.next() < TOPIC_EXPLOIT) {
      let r = rng.next()
      for (let j = 0; j < k - 1; j++) {
        r -= this.users.interest[u * k + j]
        if (r < 0) {
          z = j
          break
        }
      }
    } else z = rng.int(k)
    const {rows, offsets} = this.byTopic
    const lo = offsets[z]
    const end = lowerBoundIn(this.topicTs, lo, offsets[z + 1], t)
    if (end === lo) return false
    let best = -1
    for (let c = 0; c < 2; c++) {
      const k0 = lowerBoundIn(this.topicTs, lo, end, t - exponential(rng, 24 * HOUR)) - 1
      const i = rows[k0 < lo ? lo + rng.int(end - lo) : k0]
      if (this.fresh(u, i) && (best < 0 || this.items.quality[i] > this.items.quality[best])) best = i
    }
    if (best < 0) return false
    this.item = best
    this.source = SRC.topic
    return true
  }

  /** The most engaged of three items about half a day old: trending, with quality breaking ties. */
  private popular(u: number, t: number, rng: Rng): boolean {
    const end = lowerBound(this.items.createdAt, t)
    if (end === 0) return false
    let best = -1
    let bestScore = -1
    for (let c = 0; c < 3; c++) {
      const k0 = lowerBound(this.items.createdAt, t - exponential(rng, 12 * HOUR)) - 1
      const i = k0 < 0 ? rng.int(end) : k0
      const score = this.engagements[i] + this.items.quality[i] - (this.fresh(u, i) ? 0 : 1e9)
      if (score > bestScore || best < 0) {
        best = i
        bestScore = score
      }
    }
    this.item = best
    this.source = SRC.popular
    return true
  }
}
