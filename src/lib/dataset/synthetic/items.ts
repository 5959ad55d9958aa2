// Items of the synthetic world: authored by users, topic from the author's interests, latent quality and safety.
import type {Rng} from '../../random/rng.js'
import {AliasTable, poisson, sigmoid} from './draws.js'
import {DAY_MS, WARMUP_DAYS, type WorldParams} from './params.js'
import type {UserWorld} from './users.js'

/** Item i is the i-th created: createdAt ascends with i. Truth and observable features side by side. */
export interface ItemWorld {
  count: number
  author: Int32Array
  createdAt: Float64Array
  // --- truth
  trueTopic: Int32Array
  quality: Float32Array // in (0, 1)
  nsfw: Uint8Array
  toxic: Uint8Array
  // --- observable
  /** A topic classifier's output: the true topic 92% of the time, a uniform other draw otherwise. */
  topic: Int32Array
  textLength: Int32Array
  hasMedia: Uint8Array
  hashtagCount: Int32Array
  /** 1 where moderators labelled the item: only there are nsfw/toxic published. */
  labelled: Uint8Array
}

const TOPIC_ACCURACY = 0.92
/** Bad actors post unsafe items 10x as often as the base rate, everyone else at 0.7x. */
const BAD_ACTOR_RISK = 10
const NORMAL_RISK = 0.7

export function generateItems(users: UserWorld, params: WorldParams, rng: Rng): ItemWorld {
  const n = params.items
  const k = params.topics
  const authors = new AliasTable(users.activity)
  // Per-topic risk multipliers (lognormal, mean about 1): some topics draw more unsafe posts.
  const topicRisk = Float64Array.from({length: k}, () => Math.exp(0.5 * rng.normal() - 0.125))
  const first = params.startMs - WARMUP_DAYS * DAY_MS
  const span = (params.days + WARMUP_DAYS) * DAY_MS
  const createdAt = new Float64Array(n)
  for (let i = 0; i < n; i++) createdAt[i] = first + Math.floor(rng.next() * span)
  createdAt.sort()
  createdAt[0] = first // some item exists before the first feed
  const items: ItemWorld = {
    count: n,
    author: new Int32Array(n),
    createdAt,
    trueTopic: new Int32Array(n),
    quality: new Float32Array(n),
    nsfw: new Uint8Array(n),
    toxic: new Uint8Array(n),
    topic: new Int32Array(n),
    textLength: new Int32Array(n),
    hasMedia: new Uint8Array(n),
    hashtagCount: new Int32Array(n),
    labelled: new Uint8Array(n),
  }
  for (let i = 0; i < n; i++) {
    const a = authors.sample(rng)
    items.author[i] = a
    let r = rng.next()
    let z = k - 1
    for (let t = 0; t < k - 1; t++) {
      r -= users.interest[a * k + t]
      if (r < 0) {
        z = t
        break
      }
    }
    items.trueTopic[i] = z
    items.topic[i] = rng.bernoulli(TOPIC_ACCURACY) ? z : (z + 1 + rng.int(k - 1)) % k
    const q = sigmoid(users.qualityBias[a] + rng.normal())
    items.quality[i] = q
    const risk = params.unsafeFrac * (users.badActor[a] ? BAD_ACTOR_RISK : NORMAL_RISK) * topicRisk[z]
    if (rng.bernoulli(Math.min(0.9, risk))) {
      const kind = rng.next() // 45% nsfw, 45% toxic, 10% both
      items.nsfw[i] = kind < 0.45 || kind >= 0.9 ? 1 : 0
      items.toxic[i] = kind >= 0.45 ? 1 : 0
    }
    // Observable features lean on the hidden labels and quality, noisily: none decides alone.
    const nsfw = items.nsfw[i]
    const toxic = items.toxic[i]
    items.hasMedia[i] = rng.bernoulli(0.25 + 0.5 * nsfw + 0.15 * q) ? 1 : 0
    const logLength = Math.log(90) + 0.8 * (q - 0.5) - 0.3 * toxic - 0.4 * items.hasMedia[i] + 0.6 * rng.normal()
    items.textLength[i] = Math.max(1, Math.min(280, Math.round(Math.exp(logLength))))
    items.hashtagCount[i] = poisson(rng, 0.6 + 2 * toxic + 0.8 * nsfw)
    items.labelled[i] = rng.bernoulli(params.labelFrac) ? 1 : 0
  }
  return items
}
