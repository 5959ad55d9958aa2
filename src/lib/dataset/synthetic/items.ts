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
  /** The item ids by row when they come from a catalogue (gen-data --items-from); else ITEM_ID_BASE + row. */
  ids?: BigInt64Array
}

const TOPIC_ACCURACY = 0.92
/** Bad actors post unsafe items 10x as often as the base rate, everyone else at 0.7x. */
const BAD_ACTOR_RISK = 10
const NORMAL_RISK = 0.7

/** Per-topic risk multipliers (lognormal, mean about 1): some topics draw more unsafe posts. */
function drawTopicRisk(k: number, rng: Rng): Float64Array {
  return Float64Array.from({length: k}, () => Math.exp(0.5 * rng.normal() - 0.125))
}

/** n creation times spread uniformly over warm-up + window, ascending; item 0 exists before the first feed. */
function drawCreatedAt(n: number, params: WorldParams, rng: Rng): Float64Array {
  const first = params.startMs - WARMUP_DAYS * DAY_MS
  const span = (params.days + WARMUP_DAYS) * DAY_MS
  const createdAt = new Float64Array(n)
  for (let i = 0; i < n; i++) createdAt[i] = first + Math.floor(rng.next() * span)
  createdAt.sort()
  createdAt[0] = first
  return createdAt
}

function emptyItems(n: number, createdAt: Float64Array): ItemWorld {
  return {
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
}

/** Quality, safety and the observable features that lean on them, for item i by author a on true topic z. */
function drawTraits(items: ItemWorld, i: number, a: number, z: number, users: UserWorld, params: WorldParams, topicRisk: Float64Array, rng: Rng): void {
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

export function generateItems(users: UserWorld, params: WorldParams, rng: Rng): ItemWorld {
  const n = params.items
  const k = params.topics
  const authors = new AliasTable(users.activity)
  const topicRisk = drawTopicRisk(k, rng)
  const items = emptyItems(n, drawCreatedAt(n, params, rng))
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
    drawTraits(items, i, a, z, users, params, topicRisk, rng)
  }
  return items
}

/**
 * Items that are a catalogue's real articles (gen-data --items-from): row i is the catalogue's i-th
 * item (in publication order), its topic is the article's (true and observable alike: it was read
 * from the feed, not guessed), and it is shared by a user drawn by activity x interest in that topic,
 * so that authors post what they care about, as generated items are. Creation times are spread over
 * the window like generated ones, in the catalogue's order. One alias table per topic: users x topics
 * weights (bounded by LIMITS.interestCells).
 */
export function generateCatalogueItems(catalogue: {ids: BigInt64Array; topic: Int32Array}, users: UserWorld, params: WorldParams, rng: Rng): ItemWorld {
  const n = catalogue.ids.length
  const k = params.topics
  const byTopic = Array.from({length: k}, (_, z) => new AliasTable(Float64Array.from(users.activity, (act, u) => act * users.interest[u * k + z])))
  const topicRisk = drawTopicRisk(k, rng)
  const items = emptyItems(n, drawCreatedAt(n, params, rng))
  items.ids = catalogue.ids
  for (let i = 0; i < n; i++) {
    const z = catalogue.topic[i]
    const a = byTopic[z].sample(rng)
    items.author[i] = a
    items.trueTopic[i] = z
    items.topic[i] = z
    drawTraits(items, i, a, z, users, params, topicRisk, rng)
  }
  return items
}
