// Users of the synthetic world: a latent interest mix over topics, heavy-tailed activity, a home region.
import type {Rng} from '../../random/rng.js'
import {AliasTable} from './draws.js'
import type {WorldParams} from './params.js'
import {REGION_SHARE, REGIONS} from './vocab.js'

export interface UserWorld {
  count: number
  topics: number
  /** [users, topics] row-major; each row sums to 1. The truth a model tries to recover. */
  interest: Float32Array
  /** Pareto(1.5) capped at 500: sessions and authored items are drawn in proportion to it. */
  activity: Float64Array
  /** Index into REGIONS. */
  region: Int32Array
  accountAgeDays: Float32Array
  /** Mean item quality logit of the user's posts. */
  qualityBias: Float32Array
  /** 1 for the few accounts that post most unsafe items. */
  badActor: Uint8Array
  /** argmax of the interest row: the bucket used for homophilous follows. */
  dominantTopic: Int32Array
}

/** Sparsity of interests: Dirichlet concentration per topic (0.25: most users care about a handful). */
const INTEREST_ALPHA = 0.25
const PARETO_ALPHA = 1.5
const ACTIVITY_CAP = 500
const BAD_ACTOR_SHARE = 0.03

/**
 * Each region has its own topic prior (half uniform, half a Dirichlet(1) draw), so region and
 * interests are correlated: a region feature carries signal, as a home country does.
 */
function regionPriors(k: number, rng: Rng): Float64Array[] {
  return REGIONS.map(() => {
    const d = rng.dirichlet(k, 1)
    return d.map((x) => 0.5 / k + 0.5 * x)
  })
}

export function generateUsers(params: WorldParams, rng: Rng): UserWorld {
  const n = params.users
  const k = params.topics
  const priors = regionPriors(k, rng)
  const regionTable = new AliasTable(REGION_SHARE)
  const users: UserWorld = {
    count: n,
    topics: k,
    interest: new Float32Array(n * k),
    activity: new Float64Array(n),
    region: new Int32Array(n),
    accountAgeDays: new Float32Array(n),
    qualityBias: new Float32Array(n),
    badActor: new Uint8Array(n),
    dominantTopic: new Int32Array(n),
  }
  const row = new Float64Array(k)
  for (let u = 0; u < n; u++) {
    const r = regionTable.sample(rng)
    users.region[u] = r
    const prior = priors[r]
    let sum = 0
    for (let z = 0; z < k; z++) {
      row[z] = rng.gamma(INTEREST_ALPHA * k * prior[z]) + 1e-12
      sum += row[z]
    }
    let best = 0
    for (let z = 0; z < k; z++) {
      users.interest[u * k + z] = row[z] / sum
      if (row[z] > row[best]) best = z
    }
    users.dominantTopic[u] = best
    users.activity[u] = Math.min(ACTIVITY_CAP, rng.pareto(PARETO_ALPHA))
    users.accountAgeDays[u] = Math.round(1 + 400 * -Math.log(1 - rng.next()))
    users.qualityBias[u] = 0.6 * rng.normal()
    users.badActor[u] = rng.bernoulli(BAD_ACTOR_SHARE) ? 1 : 0
  }
  return users
}
