// Stats over every served slot of a window: CTR, click -> conversion, top items, shares by source/arm/strategy, one row per UTC day.
import type {Slot} from './attribute.js'
import {type ConversionSpec, describeConversion} from './conversion.js'
import {addSlot, type Counts, countSlots, type RateFigures, type Rates, rateFigures, rates, zeroCounts} from './rates.js'
import {type StatsWindow, utcDate, windowDays, type WindowJson, windowJson} from './window.js'

export interface ShareRow {
  name: string
  impressions: number
  /** impressions / all impressions of the window. */
  share: number
}

export interface GlobalStats extends RateFigures {
  window: WindowJson
  conversion: {events: string[]; window_hours: number}
  /** The most clicked items (then most shown, then smallest id). */
  top_items: ({item_id: string} & Rates)[]
  /** Share of impressions by each label, largest first; "(none)" where the impression carries none. Arms are "experiment/arm". */
  share: {source: ShareRow[]; arm: ShareRow[]; strategy: ShareRow[]}
  /** One row per UTC day of the impressions' ts, days without impressions included. */
  daily: ({date: string} & Rates)[]
}

export const NONE_LABEL = '(none)'
export const TOP_ITEMS = 10

/** One row per day of `days`, each slot in the row of its impression's UTC day. */
export function dailyRates(slots: readonly Slot[], days: string[]): ({date: string} & Rates)[] {
  const byDay = new Map(days.map((date) => [date, zeroCounts()]))
  for (const slot of slots) {
    const counts = byDay.get(utcDate(slot.impression.ts))
    if (counts) addSlot(counts, slot)
  }
  return days.map((date) => ({date, ...rates(byDay.get(date)!)}))
}

function shares(slots: readonly Slot[], label: (slot: Slot) => string | undefined): ShareRow[] {
  const counts = new Map<string, number>()
  for (const slot of slots) {
    const name = label(slot) ?? NONE_LABEL
    counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, impressions]) => ({name, impressions, share: impressions / slots.length}))
}

function topItems(slots: readonly Slot[], k: number): GlobalStats['top_items'] {
  const byItem = new Map<bigint, Counts>()
  for (const slot of slots) {
    let counts = byItem.get(slot.impression.itemId)
    if (!counts) byItem.set(slot.impression.itemId, (counts = zeroCounts()))
    addSlot(counts, slot)
  }
  return [...byItem]
    .sort(([a, x], [b, y]) => y.clicks - x.clicks || y.impressions - x.impressions || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, k)
    .map(([itemId, counts]) => ({item_id: String(itemId), ...rates(counts)}))
}

export function globalStats(slots: readonly Slot[], window: StatsWindow, conversion: ConversionSpec, options: {topItems?: number} = {}): GlobalStats {
  return {
    window: windowJson(window),
    conversion: describeConversion(conversion),
    ...rateFigures(countSlots(slots)),
    top_items: topItems(slots, options.topItems ?? TOP_ITEMS),
    share: {
      source: shares(slots, (s) => s.impression.source),
      arm: shares(slots, (s) => (s.impression.experiment === undefined ? undefined : `${s.impression.experiment}/${s.impression.arm ?? NONE_LABEL}`)),
      strategy: shares(slots, (s) => s.impression.strategy),
    },
    daily: dailyRates(slots, windowDays(window, slots.map((s) => s.impression.ts))),
  }
}
