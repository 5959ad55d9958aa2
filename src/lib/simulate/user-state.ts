// One simulated user: who they are (a world user seen through a persona) and what their session has done so far on one server.
import {attraction, examineProbability, type Exposure} from '../dataset/synthetic/behaviour.js'
import {Rng} from '../random/rng.js'
import {type Persona, personaInterest} from './personas.js'
import type {SimWorld} from './sim-world.js'

const HOUR = 3_600_000

/** The same for every server the user meets: the unit the report pairs arms over. */
export interface SimUser {
  /** persona/session, e.g. "explorer/3". */
  key: string
  persona: Persona
  row: number
  userId: bigint
  /** [topics] true interests as the persona holds them (rows sum to 1). */
  interest: Float32Array
  /** Seeds the response draws: the same on every server. */
  seed: number
  /** Expected attracted-and-examined slots of the oracle's feed (all items by true attraction at the start); regret's reference. */
  oracle: number
}

/** A user's session against one server: its own response stream (same seed on every server), topic fatigue, follows. */
export class UserSession {
  readonly rng: Rng
  readonly topicShown: Int32Array
  readonly follows: Set<number>
  clockMs: number

  constructor(
    readonly user: SimUser,
    world: SimWorld,
  ) {
    this.rng = new Rng(user.seed)
    this.topicShown = new Int32Array(world.truth.topics.length)
    this.follows = new Set(world.follows[user.row])
    this.clockMs = world.startMs
  }
}

/** The exposure of item `row` at `position` to the user at `clockMs` (fatigue left to the caller's offset). */
export function exposureOf(world: SimWorld, user: SimUser, follows: Set<number>, row: number, position: number, clockMs: number, x: Exposure): Exposure {
  const t = world.truth
  const author = world.authorRow[row]
  x.interest = user.interest[t.trueTopic[row]]
  x.topics = t.topics.length
  x.quality = t.quality[row]
  x.nsfw = t.nsfw[row]
  x.toxic = t.toxic[row]
  x.inNetwork = author === user.row || follows.has(author) ? 1 : 0
  x.ageHours = (clockMs - world.createdAt[row]) / HOUR
  x.position = position
  x.offset = 0
  return x
}

/**
 * The oracle's expected engaged slots: every item created by the start, ranked by true attraction, the top k at
 * positions 0..k-1, sum of P(examined) x P(attracted). The served feed's same sum subtracted from it is the regret.
 */
export function oracleValue(world: SimWorld, user: Omit<SimUser, 'oracle'>, k: number): number {
  const n = world.truth.itemIds.length
  const scores: number[] = []
  const x = {} as Exposure
  const follows = world.follows[user.row]
  for (let row = 0; row < n; row++) {
    if (world.createdAt[row] > world.startMs) continue
    scores.push(attraction(exposureOf(world, user as SimUser, follows, row, 0, world.startMs, x), user.persona.model))
  }
  scores.sort((a, b) => b - a)
  let sum = 0
  for (let p = 0; p < Math.min(k, scores.length); p++) sum += examineProbability(p, user.persona.model) * scores[p]
  return sum
}

/** `sessions` users per persona, each a distinct world user where there are enough (drawn with `seed`). */
export function drawUsers(world: SimWorld, personas: Persona[], sessions: number, k: number, seed: number): SimUser[] {
  const rng = new Rng(seed)
  const n = world.truth.userIds.length
  const order = Int32Array.from({length: n}, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const topics = world.truth.topics.length
  const users: SimUser[] = []
  let next = 0
  for (const persona of personas) {
    for (let s = 0; s < sessions; s++) {
      const row = order[next++ % n]
      const interest = personaInterest(persona, world.truth.interest.subarray(row * topics, (row + 1) * topics))
      const base = {key: `${persona.name}/${s}`, persona, row, userId: world.truth.userIds[row], interest, seed: rng.nextU32()}
      users.push({...base, oracle: oracleValue(world, base, k)})
    }
  }
  return users
}
