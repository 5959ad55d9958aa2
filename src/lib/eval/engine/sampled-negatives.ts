// Draws a user's sampled negatives (outside history and targets) and ranks each target among them.
import {RecError} from '../../errors.js'
import {type Csr} from '../../metrics/csr.js'
import {type Rng} from '../../random/rng.js'

/** Reused across users: the stamp arrays are allocated once per catalogue. */
export class SampledNegatives {
  private readonly nItems: number
  private readonly rng: Rng
  /** forbidden[i] === user stamp: item i is in the current user's history or targets. */
  private readonly forbidden: Int32Array
  /** drawn[i] === draw stamp: item i is already among the current target's negatives. */
  private readonly drawn: Int32Array
  private readonly pool: Int32Array
  private userStamp = 0
  private drawStamp = 0

  constructor(nItems: number, rng: Rng) {
    this.nItems = nItems
    this.rng = rng
    this.forbidden = new Int32Array(nItems)
    this.drawn = new Int32Array(nItems)
    this.pool = new Int32Array(nItems)
  }

  /** 0-based rank of each distinct target of `user` among its own `negatives` fresh negatives, in target order. */
  rankTargets(user: number, exclude: Csr, targets: Csr, negatives: number, scores: Float32Array): number[] {
    const id = ++this.userStamp
    let eligible = this.nItems
    for (const csr of [exclude, targets]) {
      for (let e = csr.offsets[user]; e < csr.offsets[user + 1]; e++) {
        if (this.forbidden[csr.rows[e]] !== id) eligible--
        this.forbidden[csr.rows[e]] = id
      }
    }
    const ranks: number[] = []
    const seen = new Set<number>()
    for (let e = targets.offsets[user]; e < targets.offsets[user + 1]; e++) {
      const t = targets.rows[e]
      if (seen.has(t)) continue
      seen.add(t)
      const st = checked(scores[t], user, t)
      let rank = 0
      const count = this.draw(id, eligible, negatives)
      for (let j = 0; j < count; j++) {
        const neg = this.pool[j]
        const s = checked(scores[neg], user, neg)
        if (s > st || (s === st && neg < t)) rank++
      }
      ranks.push(rank)
    }
    return ranks
  }

  /** Fills pool[0 .. count) with distinct non-forbidden items; count = min(negatives, eligible). */
  private draw(id: number, eligible: number, negatives: number): number {
    const {nItems, rng, forbidden, pool} = this
    if (negatives * 2 <= eligible) {
      // Rejection: each draw is accepted with probability >= 1/2, so about 2 x negatives draws at most.
      const stamp = ++this.drawStamp
      let count = 0
      while (count < negatives) {
        const i = rng.int(nItems)
        if (forbidden[i] === id || this.drawn[i] === stamp) continue
        this.drawn[i] = stamp
        pool[count++] = i
      }
      return count
    }
    // Dense case: list the eligible items and take a partial Fisher-Yates prefix.
    let n = 0
    for (let i = 0; i < nItems; i++) if (forbidden[i] !== id) pool[n++] = i
    const count = Math.min(negatives, n)
    for (let j = 0; j < count; j++) {
      const r = j + rng.int(n - j)
      const tmp = pool[j]
      pool[j] = pool[r]
      pool[r] = tmp
    }
    return count
  }
}

function checked(score: number, user: number, item: number): number {
  if (Number.isNaN(score)) throw new RecError('BAD_DATA', `the score provider returned NaN for item row ${item} of user row ${user}`)
  return score
}
