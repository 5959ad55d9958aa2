// Top-N lists as both stores keep them: one row per user, the items as a JSON array of [item_id, score, source, reason].
import type {TopNItem, TopNList} from './types.js'

/** Item ids as decimal strings: JSON numbers (and node-postgres' JSONB parse) lose ids above 2^53. */
type StoredItem = [itemId: string, score: number, source: string, reason: string]

export function encodeTopNItems(items: TopNItem[]): string {
  return JSON.stringify(items.map((item): StoredItem => [String(item.itemId), item.score, item.source, item.reason]))
}

/** `items` is the JSON text (SQLite) or its parsed value (PostgreSQL JSONB). */
export function decodeTopNItems(items: string | unknown[]): TopNItem[] {
  const parsed = (typeof items === 'string' ? JSON.parse(items) : items) as StoredItem[]
  return parsed.map(([itemId, score, source, reason]) => ({itemId: BigInt(itemId), score, source, reason}))
}

/** One list per user, the newest (the later one of equal times): a batch may name a user twice, and one statement may write a row once. */
export function newestPerUser(lists: TopNList[]): TopNList[] {
  const newest = new Map<bigint, TopNList>()
  for (const list of lists) {
    const kept = newest.get(list.userId)
    if (!kept || list.generatedAt >= kept.generatedAt) newest.set(list.userId, list)
  }
  return [...newest.values()]
}
