// The interaction columns an importer has parsed, before splitting and writing.
import type {Column} from '../columns.js'
import {EVENTS} from '../schema.js'

/** Parallel columns, one row per interaction, in source order (ties in ts keep this order). */
export interface RawInteractions {
  userId: BigInt64Array
  itemId: BigInt64Array
  /** ms since the epoch */
  ts: Float64Array
  event: Extract<Column, {type: 'dict'}>
  weight: Float32Array
}

/** Events that say the user did not want the item (or only saw it): never positives by default. */
const NOT_POSITIVE = new Set(['impression', 'skip', 'hide', 'report'])

/** Default positives for the events present: every engagement event with weight 1. */
export function defaultPositives(events: readonly string[]): Record<string, number> {
  const positives: Record<string, number> = {}
  for (const event of EVENTS) if (events.includes(event) && !NOT_POSITIVE.has(event)) positives[event] = 1
  return positives
}
