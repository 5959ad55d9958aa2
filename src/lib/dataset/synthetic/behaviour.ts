// How a synthetic user responds to one impression: the one response model shared by the generator and simulators.
import type {Rng} from '../../random/rng.js'
import {sigmoid} from './draws.js'
import {EV} from './vocab.js'

/** Coefficients of the response model (written to truth/world.json so a replay can check it uses the same). */
export const BEHAVIOUR = {
  /** P(examined) = (1 + position)^-0.5: position 0 -> 1, 3 -> 0.5, 15 -> 0.25. */
  positionDecay: 0.5,
  /** Attraction logit = bias + affinity * log(K * interest + 0.05) + quality * (q - 0.5) + ... */
  bias: -1,
  affinity: 1.1,
  quality: 2.5,
  inNetwork: 0.8,
  /** Unsafe items pull clicks (clickbait), which is why a ranker needs safety heads. */
  unsafePull: 0.4,
  /** Minus 0.35 logit per doubling of (1 + age / 6 h). */
  recencyPerDoubling: 0.35,
  recencyHours: 6,
  /** Long dwell (the `dwell` event) after a click: read time >= 10 s. */
  longDwellMs: 10_000,
} as const

/**
 * The coefficients a response is drawn with: BEHAVIOUR's, plus two knobs the generator leaves off.
 * Simulated personas (src/lib/simulate/personas.ts) are small changes to these.
 */
export type ResponseModel = {-readonly [K in keyof typeof BEHAVIOUR]: number} & {
  /** Slots at or past this position are never examined (Infinity: all may be). */
  examineSlots: number
  /** Extra P(hide) of an examined unsafe item the user is not attracted by (0: the base rates only). */
  unsafeHide: number
}

/** The generator's model: BEHAVIOUR with the extra knobs off (its draws are the same as before they existed). */
export const DEFAULT_MODEL: Readonly<ResponseModel> = Object.freeze({...BEHAVIOUR, examineSlots: Infinity, unsafeHide: 0})

/** One impression as the user perceives it, all from truth. Reused as a scratch object in hot loops. */
export interface Exposure {
  /** The user's interest weight on the item's true topic, in [0, 1]. */
  interest: number
  topics: number
  quality: number
  nsfw: number // 0 | 1
  toxic: number // 0 | 1
  inNetwork: number // 0 | 1: the user follows the author
  ageHours: number
  position: number
  /** Added to the attraction logit by the caller (e.g. a persona's fatigue with a topic); absent: 0. */
  offset?: number
}

/** What happened: bit e of `events` is set when event code e (see EV) followed the impression. */
export interface Response {
  events: number
  /** Read time after a click, ms; 0 without a click. */
  dwellMs: number
}

/** Feeds rarely pass 64 slots; a table spares a Math.pow per impression (about 10% of the generator's time). */
const EXAMINE = Float64Array.from({length: 64}, (_, p) => Math.pow(1 + p, -BEHAVIOUR.positionDecay))

export function examineProbability(position: number, model: Readonly<ResponseModel> = DEFAULT_MODEL): number {
  if (position >= model.examineSlots) return 0
  if (model.positionDecay !== BEHAVIOUR.positionDecay) return Math.pow(1 + position, -model.positionDecay)
  return position < EXAMINE.length ? EXAMINE[position] : Math.pow(1 + position, -BEHAVIOUR.positionDecay)
}

/** log(K * interest + 0.05): 0 at a uniform interest, about +2.3 at interest 0.5 of 20 topics, -3 at none. */
export function affinity(interest: number, topics: number): number {
  return Math.log(topics * interest + 0.05)
}

/** P(interested | examined). */
export function attraction(x: Exposure, model: Readonly<ResponseModel> = DEFAULT_MODEL): number {
  const b = model
  const unsafe = x.nsfw | x.toxic
  const logit =
    b.bias +
    b.affinity * affinity(x.interest, x.topics) +
    b.quality * (x.quality - 0.5) +
    b.inNetwork * x.inNetwork +
    b.unsafePull * unsafe -
    b.recencyPerDoubling * Math.log2(1 + Math.max(0, x.ageHours) / b.recencyHours) +
    (x.offset ?? 0)
  return sigmoid(logit)
}

/**
 * Draws the response to one impression. Unexamined: nothing. Examined and interested: click,
 * long dwell, like, repost, reply (toxic posts draw replies), share, follow the author. Examined and
 * not interested: skip, hide, report, the last two mostly on unsafe items.
 */
export function respond(x: Exposure, rng: Rng, out: Response, model: Readonly<ResponseModel> = DEFAULT_MODEL): Response {
  out.events = 0
  out.dwellMs = 0
  if (rng.next() >= examineProbability(x.position, model)) return out
  const q = x.quality
  const unsafe = x.nsfw | x.toxic
  let e = 0
  if (rng.next() < attraction(x, model)) {
    if (rng.next() < 0.7) {
      e |= 1 << EV.click
      const logMs = Math.log(6000) + 1.2 * (q - 0.5) + 0.25 * affinity(x.interest, x.topics) + 0.7 * rng.normal()
      out.dwellMs = Math.max(300, Math.min(600_000, Math.round(Math.exp(logMs))))
      if (out.dwellMs >= model.longDwellMs) e |= 1 << EV.dwell
    }
    if (rng.next() < 0.15 + 0.45 * q) e |= 1 << EV.like
    if (rng.next() < 0.02 + 0.12 * q) e |= 1 << EV.repost
    if (rng.next() < 0.03 + 0.15 * x.toxic) e |= 1 << EV.reply
    if (rng.next() < 0.01 + 0.06 * q) e |= 1 << EV.share
    if (!x.inNetwork && rng.next() < 0.02 + 0.2 * x.interest) e |= 1 << EV.follow_author
    if (unsafe && rng.next() < 0.03) e |= 1 << EV.report
  } else {
    if (rng.next() < 0.5) e |= 1 << EV.skip
    if (rng.next() < 0.01 + 0.15 * unsafe) e |= 1 << EV.hide
    if (rng.next() < 0.001 + 0.08 * x.nsfw + 0.12 * x.toxic) e |= 1 << EV.report
    // drawn only when set, so the generator's stream is unchanged
    if (unsafe && model.unsafeHide > 0 && rng.next() < model.unsafeHide) e |= 1 << EV.hide
  }
  out.events = e
  return out
}
