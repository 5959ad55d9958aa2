// The ranker's heads: which engagement types a dataset supports, each a sigmoid probability.

/** A head predicts "one of `events` followed the impression" (or, without impressions, "this event happened"). */
export interface HeadSpec {
  name: string
  events: string[]
}

/** Heavy-ranker heads for datasets with impressions; `negative` pools the explicit negative responses. */
export const IMPRESSION_HEADS: readonly HeadSpec[] = [
  {name: 'click', events: ['click']},
  {name: 'like', events: ['like']},
  {name: 'repost', events: ['repost']},
  {name: 'reply', events: ['reply']},
  {name: 'share', events: ['share']},
  {name: 'follow_author', events: ['follow_author']},
  {name: 'dwell', events: ['dwell']},
  {name: 'negative', events: ['skip', 'hide', 'report']},
]

/** Events that are responses to an impression but never positives. */
export const NEGATIVE_EVENTS = ['skip', 'hide', 'report'] as const

/**
 * Heads for the events a dataset has. With impressions: the heavy-ranker heads whose events occur,
 * plus one head per other positive event. Without: one head per positive event that occurs
 * (MovieLens: "rating").
 */
export function headsForDataset(events: readonly string[], hasImpressions: boolean, positives: Record<string, number>): HeadSpec[] {
  const present = new Set(events)
  const positiveEvents = Object.keys(positives).filter((e) => present.has(e) && e !== 'impression')
  if (!hasImpressions) return positiveEvents.map((e) => ({name: e, events: [e]}))
  const heads = IMPRESSION_HEADS.map((h) => ({name: h.name, events: h.events.filter((e) => present.has(e))})).filter((h) => h.events.length > 0)
  const covered = new Set(heads.flatMap((h) => h.events))
  for (const e of positiveEvents) if (!covered.has(e)) heads.push({name: e, events: [e]})
  return heads
}
