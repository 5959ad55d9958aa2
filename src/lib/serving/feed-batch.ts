// Many users' feeds in one call (rec recommend): each through feedItems, the live path, packed into columns that cross threads cheaply.
import type {Pipeline} from '../mixer/types.js'
import {type FeedQuery, feedItems} from './feed-run.js'

/**
 * The feeds of a chunk of queries as columns: query i's items are rows [offsets[i], offsets[i + 1]), best
 * first. Typed arrays move between threads without a copy; 256 users x 100 items of FeedItem objects
 * would be ~25,600 objects to clone.
 */
export interface FeedBatch {
  offsets: Int32Array
  itemIds: BigInt64Array
  /** As the live response shows it (rounded to 1e-6). */
  scores: Float64Array
  sources: string[]
  reasons: string[]
}

/** Runs the queries one after another (a chunk is one worker's work; the pool spreads chunks over workers). */
export async function runFeedBatch(pipeline: Pipeline, queries: FeedQuery[]): Promise<FeedBatch> {
  const feeds = []
  for (const query of queries) feeds.push(await feedItems(pipeline, {...query, explain: false, served: false}))
  const offsets = new Int32Array(queries.length + 1)
  feeds.forEach((feed, i) => (offsets[i + 1] = offsets[i] + feed.items.length))
  const n = offsets[queries.length]
  const batch: FeedBatch = {offsets, itemIds: new BigInt64Array(n), scores: new Float64Array(n), sources: new Array<string>(n), reasons: new Array<string>(n)}
  feeds.forEach((feed, i) => {
    batch.itemIds.set(feed.itemIds, offsets[i])
    feed.items.forEach((item, j) => {
      batch.scores[offsets[i] + j] = item.score
      batch.sources[offsets[i] + j] = item.source
      batch.reasons[offsets[i] + j] = item.reason
    })
  })
  return batch
}

/** The buffers of a batch to move (not copy) to the calling thread. */
export function batchBuffers(batch: FeedBatch): ArrayBuffer[] {
  return [batch.offsets.buffer, batch.itemIds.buffer, batch.scores.buffer] as ArrayBuffer[]
}
