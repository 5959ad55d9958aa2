// Human reasons for a recommendation: who, which topic, or which item of the user's history it resembles.
import {eventName, UNKNOWN_EVENT} from '../dataset/event-codes.js'
import type {EventName} from '../dataset/schema.js'
import {gatherDots} from '../kernels/dot.js'
import type {ServingWorld} from './world.js'

export function itemLabel(world: ServingWorld, row: number): string {
  const title = world.title?.[row]
  return title ? `"${title}"` : `item ${world.items.id(row) ?? '?'}`
}

export function topicOf(world: ServingWorld, row: number): string | undefined {
  const code = world.topic?.[row] ?? -1
  return code >= 0 ? world.topicNames[code] : undefined
}

/**
 * How a reason names an event: `mine` follows the item's label ("similar to X you shared"), `theirs` comes
 * before another user's handle ("shared by @u"). Events no wording fits (an unknown code, a negative event a
 * config counts as positive) get the neutral one: a reason must never claim an event that did not happen.
 */
const WORDING: Partial<Record<EventName, {mine: string; theirs: string}>> = {
  like: {mine: ' you liked', theirs: 'liked by'},
  click: {mine: ' you clicked', theirs: 'clicked by'},
  repost: {mine: ' you reposted', theirs: 'reposted by'},
  reply: {mine: ' you replied to', theirs: 'replied to by'},
  share: {mine: ' you shared', theirs: 'shared by'},
  follow_author: {mine: ', whose author you followed', theirs: 'from an author followed by'},
  dwell: {mine: ' you viewed at length', theirs: 'viewed at length by'},
  rating: {mine: ' you rated', theirs: 'rated by'},
  impression: {mine: ' you were shown', theirs: 'shown to'},
}
const NEUTRAL = {mine: ' you engaged with', theirs: 'engaged with by'}

function wording(code: number): {mine: string; theirs: string} {
  const name = eventName(code)
  return (name && WORDING[name]) ?? NEUTRAL
}

/** "<label> you clicked": the user's own event on an item, as a reason names it. */
export function yourEvent(label: string, code: number): string {
  return `${label}${wording(code).mine}`
}

/** "clicked by @u": another user's event on the item. */
export function theirEvent(handle: string, code: number): string {
  return `${wording(code).theirs} ${handle}`
}

/**
 * "similar to X you liked": X is the one of the last 20 history items whose embedding is closest to `row`, and
 * the event is that of X's latest entry among them (`events` is parallel to `history`; without it, unknown).
 */
export function similarReason(world: ServingWorld, history: Int32Array, events: Uint8Array | undefined, row: number): string {
  const dim = world.dim
  const from = Math.max(0, history.length - 20)
  const recent = history.subarray(from)
  const dots = gatherDots(world.itemVectors.subarray(row * dim, (row + 1) * dim), world.itemVectors, recent, dim)
  let best = -1
  let bestScore = -Infinity
  for (let h = 0; h < recent.length; h++) {
    if (dots[h] > bestScore) {
      bestScore = dots[h]
      best = recent[h]
    }
  }
  if (best <= 0) return 'picked for you'
  let at = recent.length - 1
  while (recent[at] !== best) at--
  return `similar to ${yourEvent(itemLabel(world, best), events?.[from + at] ?? UNKNOWN_EVENT)}`
}
