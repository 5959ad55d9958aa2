// Feed sessions in time order: impressions at list positions, then each user's response, as event rows.
import type {Rng} from '../../random/rng.js'
import type {Reporter} from '../../reporter.js'
import {type Exposure, type Response, respond} from './behaviour.js'
import {CandidatePicker} from './candidates.js'
import {AliasTable, exponential} from './draws.js'
import {EventLog} from './event-log.js'
import type {FollowGraph} from './follows.js'
import type {ItemWorld} from './items.js'
import {LiveFollows} from './live-follows.js'
import {DAY_MS, type WorldParams} from './params.js'
import type {UserWorld} from './users.js'
import {EV} from './vocab.js'

const HOUR = 3_600_000
/** Feed length per session: 1 + exponential(mean 7), at most 60 slots (position fits int16 easily). */
const MEAN_SLOTS = 7
const MAX_SLOTS = 60
/** Events after a click or without one, in the order (and with the delays) they are logged. */
const AFTER_READ = [EV.like, EV.repost, EV.reply, EV.share, EV.follow_author] as const
const NEGATIVE = [EV.skip, EV.hide, EV.report] as const

export interface Simulation {
  log: EventLog
  follows: LiveFollows
}

/**
 * Runs sessions until exactly `params.interactions` rows exist. A session's user is drawn by
 * activity; its start follows a clock that advances with the rows written, so the rows fill the
 * window evenly whatever the engagement rates. Within a session the user scrolls one slot at a
 * time: the next impression comes after the previous one's last event, and one user's sessions
 * never overlap.
 */
export function simulateFeeds(users: UserWorld, items: ItemWorld, graph: FollowGraph, params: WorldParams, rng: Rng, reporter: Reporter): Simulation {
  const n = params.interactions
  const k = users.topics
  const log = new EventLog(n)
  const follows = new LiveFollows(graph, users.count)
  const picker = new CandidatePicker(users, items, follows)
  const sessions = new AliasTable(users.activity)
  const nextFree = new Float64Array(users.count)
  const span = params.days * DAY_MS
  const x: Exposure = {interest: 0, topics: k, quality: 0, nsfw: 0, toxic: 0, inNetwork: 0, ageHours: 0, position: 0}
  const response: Response = {events: 0, dwellMs: 0}
  const bar = reporter.progress('interactions', n)
  let ticked = 0
  while (!log.full) {
    const u = sessions.sample(rng)
    let t = Math.max(nextFree[u], params.startMs + Math.floor((span * log.length) / n + rng.next() * 60_000))
    const slots = Math.min(MAX_SLOTS, 1 + Math.floor(exponential(rng, MEAN_SLOTS)))
    for (let p = 0; p < slots && !log.full; p++) {
      if (!picker.pick(u, t, rng)) break
      const i = picker.item
      const author = items.author[i]
      x.interest = users.interest[u * k + items.trueTopic[i]]
      x.quality = items.quality[i]
      x.nsfw = items.nsfw[i]
      x.toxic = items.toxic[i]
      x.inNetwork = author === u || follows.has(u, author) ? 1 : 0
      x.ageHours = (t - items.createdAt[i]) / HOUR
      x.position = p
      const e = respond(x, rng, response).events
      const src = picker.source
      const anchor = t
      log.push(u, i, t, EV.impression, p, src, anchor)
      if (e & (1 << EV.click)) {
        t += 500 + rng.int(2500)
        log.push(u, i, t, EV.click, p, src, anchor)
        picker.engagements[i]++
        t += response.dwellMs
        if (e & (1 << EV.dwell) && log.push(u, i, t, EV.dwell, p, src, anchor)) log.setDwell(response.dwellMs)
      }
      for (const ev of AFTER_READ) {
        if (!(e & (1 << ev))) continue
        t += 300 + rng.int(3000)
        if (!log.push(u, i, t, ev, p, src, anchor)) break
        picker.engagements[i]++
        if (ev === EV.follow_author) follows.add(u, author, t)
      }
      for (const ev of NEGATIVE) {
        if (!(e & (1 << ev))) continue
        t += 200 + rng.int(1500)
        log.push(u, i, t, ev, p, src, anchor)
      }
      t += 300 + rng.int(1500) // scroll to the next slot
    }
    nextFree[u] = t + 1000
    if (log.length - ticked >= 65_536 || log.full) {
      bar.tick(log.length - ticked)
      ticked = log.length
    }
  }
  bar.stop()
  return {log, follows}
}
