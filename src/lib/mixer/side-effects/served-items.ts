// Served-items counter: how many served feed slots each source fills, as rec_served_items_total{source} on /metrics.
import type {SideEffect, SideEffectContext} from '../types.js'

/**
 * rec_source_candidates_total counts what each source offers before filters; this counts what users are
 * shown, so the two side by side say which sources win the feed. One series per source label, resolved
 * once: labels are the ~10 source ids with and without "+Explore".
 */
export function servedItems(counters: SideEffectContext['counters']): SideEffect {
  counters.describe('rec_served_items_total', 'Served feed items by source (after every filter and selector).')
  const series = new Map<string, {inc(by?: number): void}>()
  return {
    id: 'ServedItems',
    async apply(feed) {
      for (const source of feed.sources) {
        let counter = series.get(source)
        if (!counter) series.set(source, (counter = counters.counter('rec_served_items_total', {source})))
        counter.inc()
      }
    },
  }
}
