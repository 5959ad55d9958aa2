// Impression log: every served slot of every feed, handed to the batching writer that puts it in the store.
import type {Impression} from '../../store/types.js'
import type {ImpressionSink, ServedFeed, SideEffect} from '../types.js'

/**
 * One Impression per served slot, in feed order. `enqueue` only appends to a bounded in-memory queue
 * (a full one drops the feed and counts it), so this never waits on the store and never throws for it:
 * the writer flushes every 200 ms or 1,000 rows on its own (store/impression-writer.ts).
 */
export function impressionLog(sink: ImpressionSink): SideEffect {
  return {
    id: 'ImpressionLog',
    async apply(feed) {
      sink.enqueue(impressionsOf(feed))
    },
  }
}

/** The feed's slots as Impression rows; optional fields are left out when unset (as the store returns them). */
export function impressionsOf(feed: ServedFeed): Impression[] {
  const rows: Impression[] = []
  for (let position = 0; position < feed.itemIds.length; position++) {
    const propensity = feed.propensities[position]
    rows.push({
      requestId: feed.requestId,
      ts: feed.ts,
      userId: feed.userId,
      itemId: feed.itemIds[position],
      position,
      source: feed.sources[position],
      score: feed.scores[position],
      ...(feed.experiment === undefined ? {} : {experiment: feed.experiment}),
      ...(feed.arm === undefined ? {} : {arm: feed.arm}),
      versions: feed.versions,
      ...(propensity === undefined ? {} : {propensity}),
      ...(feed.strategy === undefined ? {} : {strategy: feed.strategy}),
      ...(feed.strategyProbability === undefined ? {} : {strategyProbability: feed.strategyProbability}),
    })
  }
  return rows
}
