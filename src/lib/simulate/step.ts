// One feed step: get a feed, draw the user's response to each shown item with the shared response model, post the interactions.
import {attraction, examineProbability, type Exposure, type Response, respond} from '../dataset/synthetic/behaviour.js'
import {EV, EVENT_DICTIONARY} from '../dataset/synthetic/vocab.js'
import type {InteractionBody, ServerClient} from './client.js'
import type {SimWorld} from './sim-world.js'
import {exposureOf, type UserSession} from './user-state.js'

/** Simulated time between two steps of a session (item ages grow by it). */
export const STEP_MS = 60_000

/** What one feed did, in counts (the report sums them; rates divide by impressions). */
export interface StepRecord {
  /** The responses' arm tag ("default" without an experiment). */
  arm: string
  impressions: number
  clicks: number
  likes: number
  longDwells: number
  skips: number
  hides: number
  unsafe: number
  /** Sum over shown items of the user's true interest in the item's topic. */
  interest: number
  /** Oracle's expected engaged slots minus the served feed's (see oracleValue). */
  regret: number
  /** Share of slot pairs whose items differ in true topic (1 for fewer than two items). */
  ild: number
  /** Items the world's truth does not know (not simulated). */
  unknown: number
}

const NEGATIVE_OR_POSITIVE = EVENT_DICTIONARY.map((name, code) => ({name, code})).filter((e) => e.code !== EV.impression)

export async function runStep(client: ServerClient, world: SimWorld, session: UserSession, k: number): Promise<StepRecord> {
  const {user} = session
  const t = world.truth
  const feed = await client.feed(user.userId, k)
  const record: StepRecord = {arm: feed.arm ?? 'default', impressions: 0, clicks: 0, likes: 0, longDwells: 0, skips: 0, hides: 0, unsafe: 0, interest: 0, regret: user.oracle, ild: 1, unknown: 0}
  const x = {} as Exposure
  const out: Response = {events: 0, dwellMs: 0}
  const batch: InteractionBody[] = []
  const topics: number[] = []
  for (const [position, item] of feed.items.entries()) {
    const row = t.itemRow.get(BigInt(item.item_id))
    if (row === undefined) {
      record.unknown++
      continue
    }
    exposureOf(world, user, session.follows, row, position, session.clockMs, x)
    record.regret -= examineProbability(position, user.persona.model) * attraction(x, user.persona.model)
    const topic = t.trueTopic[row]
    x.offset = -user.persona.repeatFatigue * session.topicShown[topic]
    const events = respond(x, session.rng, out, user.persona.model).events
    session.topicShown[topic]++
    topics.push(topic)
    record.impressions++
    record.interest += x.interest
    record.unsafe += t.nsfw[row] | t.toxic[row]
    if (events & (1 << EV.click)) record.clicks++
    if (events & (1 << EV.like)) record.likes++
    if (events & (1 << EV.dwell)) record.longDwells++
    if (events & (1 << EV.skip)) record.skips++
    if (events & (1 << EV.hide)) record.hides++
    if (events & (1 << EV.follow_author) && world.authorRow[row] >= 0) session.follows.add(world.authorRow[row])
    for (const {name, code} of NEGATIVE_OR_POSITIVE) {
      if (!(events & (1 << code))) continue
      const dwell = code === EV.click || code === EV.dwell ? {dwell_ms: out.dwellMs} : {}
      batch.push({user_id: String(user.userId), item_id: item.item_id, event: name, position, request_id: feed.request_id, ...dwell})
    }
  }
  let pairs = 0
  let differ = 0
  for (let i = 0; i < topics.length; i++) for (let j = i + 1; j < topics.length; j++, pairs++) if (topics[i] !== topics[j]) differ++
  if (pairs > 0) record.ild = differ / pairs
  await client.interact(batch)
  session.clockMs += STEP_MS
  return record
}
