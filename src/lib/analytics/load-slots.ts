// Reads a window's impressions and the interactions that can click or convert them from the store, and joins them.
import type {Store, StoredInteraction} from '../store/types.js'
import {attributeSlots, type Slot} from './attribute.js'
import type {ConversionSpec} from './conversion.js'
import {impressionRange, interactionRange, type StatsWindow} from './window.js'

export interface LoadedSlots {
  slots: Slot[]
  /** The interactions read: from a day before the window on (client clocks may trail the server's), not cut at its end. */
  interactions: StoredInteraction[]
}

/**
 * Interactions are read from `since` - 24 h, so that a click whose client ts trails the server's impression
 * ts still counts, and without an upper bound: a click or conversion that arrived after `until` on an
 * impression inside the window counts (the conversions of the last clicks are still arriving, so the
 * last days' conversion rates run low until their window has passed).
 */
export async function loadSlots(store: Store, window: StatsWindow, conversion: ConversionSpec): Promise<LoadedSlots> {
  const impressions = await store.impressions(impressionRange(window))
  const interactions = await store.interactions(interactionRange(window))
  return {slots: attributeSlots(impressions, interactions, conversion), interactions}
}
