// Merged articles -> the items table: text columns, domain, author, published time, categories and one topic per item.
import {type ColumnTable, toDict} from '../columns.js'
import type {Article} from './rss-articles.js'

/** The topic of items none of whose categories is a topic. */
export const OTHER_TOPIC = 'other'

export interface TopicOptions {
  /** At most this many categories become topics, the most used first. */
  maxTopics: number
  /** A category becomes a topic only when at least this many articles carry it. */
  minItems: number
}

/**
 * Topics are the categories most articles carry (ties by name), within the limits; an article's
 * topic is its most carried category among them (ties by name), else "other". Returns the
 * vocabulary in that order ("other" last, when used) and each article's index into it.
 */
export function assignTopics(articles: readonly Article[], options: TopicOptions): {topics: string[]; codes: Int32Array} {
  const counts = new Map<string, number>()
  for (const a of articles) for (const c of a.categories) counts.set(c, (counts.get(c) ?? 0) + 1)
  const byUse = (x: string, y: string) => counts.get(y)! - counts.get(x)! || (x < y ? -1 : x > y ? 1 : 0)
  const topics = [...counts.keys()]
    .filter((c) => counts.get(c)! >= options.minItems && c !== OTHER_TOPIC)
    .sort(byUse)
    .slice(0, options.maxTopics)
  const index = new Map(topics.map((t, i) => [t, i]))
  let other = -1
  const codes = Int32Array.from(articles, (a) => {
    // topics are sorted by use, so the smallest index is the most carried category
    let best = -1
    for (const c of a.categories) {
      const t = index.get(c)
      if (t !== undefined && (best < 0 || t < best)) best = t
    }
    if (best >= 0) return best
    if (other < 0) other = topics.length
    return other
  })
  return {topics: other >= 0 ? [...topics, OTHER_TOPIC] : topics, codes}
}

/**
 * item_id, title, description, link (text), domain, author, feed (categorical), published_at
 * (timestamp, null when unknown), categories (multi-categorical), topic (categorical).
 */
export function articlesTable(articles: readonly Article[], topics: {topics: string[]; codes: Int32Array}): ColumnTable {
  const n = articles.length
  const published = new Float64Array(n)
  const nulls = new Uint8Array(n)
  articles.forEach((a, i) => {
    if (a.publishedMs === undefined) nulls[i] = 1
    else published[i] = a.publishedMs
  })
  return {
    item_id: {type: 'int64', values: BigInt64Array.from(articles, (a) => a.id)},
    title: {type: 'utf8', values: articles.map((a) => a.title)},
    description: {type: 'utf8', values: articles.map((a) => a.description)},
    link: {type: 'utf8', values: articles.map((a) => a.link)},
    domain: toDict(articles.map((a) => a.domain)),
    author: toDict(articles.map((a) => a.author)),
    feed: toDict(articles.map((a) => a.feed)),
    published_at: {type: 'timestamp_ms', values: published, nulls},
    categories: {type: 'list_utf8', values: articles.map((a) => a.categories)},
    topic: {type: 'dict', codes: topics.codes, dictionary: topics.topics},
  }
}
