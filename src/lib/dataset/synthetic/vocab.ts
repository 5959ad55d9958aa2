// Names in the synthetic world: topics, regions, events, candidate sources and the id spaces of users and items.
import type {EventName} from '../schema.js'

const TOPIC_WORDS = [
  'news', 'politics', 'sports', 'football', 'basketball', 'music', 'movies', 'tv', 'gaming', 'tech', 'science', 'ai',
  'finance', 'crypto', 'fashion', 'food', 'travel', 'fitness', 'health', 'art', 'books', 'pets', 'memes', 'education',
]

/** `k` topic names: readable words first, then topic_25, topic_26, ... */
export function topicNames(k: number): string[] {
  return Array.from({length: k}, (_, i) => TOPIC_WORDS[i] ?? `topic_${i + 1}`)
}

export const REGIONS = ['na-east', 'na-west', 'latam', 'europe', 'africa', 'middle-east', 'south-asia', 'east-asia', 'oceania']
/** Population share of each region (sums to 1): uneven, so that region is an informative but skewed feature. */
export const REGION_SHARE = [0.2, 0.12, 0.12, 0.2, 0.06, 0.05, 0.1, 0.11, 0.04]

/** Event codes of interactions.event; the dictionary is this list, in the order of the data contract. */
export const EVENT_DICTIONARY = ['impression', 'click', 'like', 'repost', 'reply', 'share', 'follow_author', 'dwell', 'skip', 'hide', 'report'] as const satisfies readonly EventName[]
export const EV = {impression: 0, click: 1, like: 2, repost: 3, reply: 4, share: 5, follow_author: 6, dwell: 7, skip: 8, hide: 9, report: 10} as const

/** Positive events and default training weights written to dataset.json (configs may override). */
export const POSITIVES: Record<string, number> = {click: 1, like: 2, repost: 3, reply: 3, share: 3, follow_author: 4, dwell: 1}

/** True for the codes of POSITIVES, indexed by event code. */
export const IS_POSITIVE = Uint8Array.from(EVENT_DICTIONARY, (name) => (POSITIVES[name] ? 1 : 0))

/** The logging policy's candidate sources, as interactions.source. */
export const SOURCES = ['in-network', 'topic', 'popular'] as const
export const SRC = {inNetwork: 0, topic: 1, popular: 2} as const

/**
 * Ids are not row numbers: user u is USER_ID_BASE + u, item i is ITEM_ID_BASE + i (items numbered in
 * creation order). Disjoint ranges make a user id mistaken for an item id (or an author) fail loudly.
 */
export const USER_ID_BASE = 1
export const ITEM_ID_BASE = 1_000_000_000
