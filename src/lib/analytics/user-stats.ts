// One user's stats: impressions, clicked impressions, CTR, likes, top topics of what they engaged with, last activity.
import type {Impression, StoredInteraction} from '../store/types.js'
import {attributeSlots} from './attribute.js'
import type {ConversionSpec} from './conversion.js'
import {countSlots, rates} from './rates.js'
import {type StatsWindow, type WindowJson, windowJson} from './window.js'

export interface UserStats {
  user_id: string
  window: WindowJson
  impressions: number
  clicks: number
  ctr: number | null
  /** The user's `like` interactions in the window, attributed or not. */
  likes: number
  /** Topics of the items the user clicked or converted on (click and conversion events, one count each), most first; at most 5. */
  top_topics: {topic: string; count: number}[]
  /** The latest of the user's interactions and served feeds in the window (ISO); null when neither. */
  last_active: string | null
}

export const TOP_TOPICS = 5

/**
 * `impressions` and `interactions` as loaded for the window (any users: this filters). Impressions and
 * clicks follow attributeSlots. `topicOf` maps an item to its topic (undefined: none, or unknown).
 */
export function userStats(
  userId: bigint,
  impressions: readonly Impression[],
  interactions: readonly StoredInteraction[],
  options: {window: StatsWindow; conversion: ConversionSpec; topicOf?: (itemId: bigint) => string | undefined},
): UserStats {
  const {window} = options
  const inWindow = (ts: number) => (window.since === undefined || ts >= window.since) && ts <= window.until
  const shown = impressions.filter((r) => r.userId === userId)
  const own = interactions.filter((r) => r.userId === userId)
  const counts = countSlots(attributeSlots(shown, own, options.conversion))
  const acted = own.filter((r) => inWindow(r.ts))
  const engaged = new Set(['click', ...options.conversion.events])
  const topics = new Map<string, number>()
  for (const r of acted) {
    if (!engaged.has(r.event)) continue
    const topic = options.topicOf?.(r.itemId)
    if (topic !== undefined) topics.set(topic, (topics.get(topic) ?? 0) + 1)
  }
  let last = Number.NEGATIVE_INFINITY
  for (const r of [...shown, ...acted]) last = Math.max(last, r.ts)
  const {ctr} = rates(counts)
  return {
    user_id: String(userId),
    window: windowJson(window),
    impressions: counts.impressions,
    clicks: counts.clicks,
    ctr,
    likes: acted.filter((r) => r.event === 'like').length,
    top_topics: [...topics]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_TOPICS)
      .map(([topic, count]) => ({topic, count})),
    last_active: Number.isFinite(last) ? new Date(last).toISOString() : null,
  }
}
