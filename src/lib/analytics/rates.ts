// Counts of slots and the rates with their 95% intervals, in the JSON shape every stats answer uses.
import {compareProportions, wilsonInterval} from '../metrics/proportions.js'
import type {Slot} from './attribute.js'

export interface Counts {
  impressions: number
  /** Impressions with at least one attributed click. */
  clicks: number
  /** Clicked impressions followed by a conversion within the window. */
  conversions: number
}

export interface Rates extends Counts {
  /** clicks / impressions; null without impressions. */
  ctr: number | null
  /** conversions / clicks; null without clicks. */
  conversion_rate: number | null
}

export interface RateFigures extends Rates {
  /** Wilson 95% interval of ctr. */
  ctr_ci: [number, number] | null
  /** Wilson 95% interval of conversion_rate. */
  conversion_ci: [number, number] | null
}

/** A treatment's rate minus the control's: unpooled 95% interval, pooled two-proportion z-test p-value. */
export interface DiffFigures {
  diff: number
  ci: [number, number]
  p_value: number
}

export function zeroCounts(): Counts {
  return {impressions: 0, clicks: 0, conversions: 0}
}

export function addSlot(counts: Counts, slot: Slot): void {
  counts.impressions++
  if (slot.clickedAt !== undefined) counts.clicks++
  if (slot.convertedAt !== undefined) counts.conversions++
}

export function countSlots(slots: Iterable<Slot>): Counts {
  const counts = zeroCounts()
  for (const slot of slots) addSlot(counts, slot)
  return counts
}

export function rates(counts: Counts): Rates {
  return {
    ...counts,
    ctr: counts.impressions > 0 ? counts.clicks / counts.impressions : null,
    conversion_rate: counts.clicks > 0 ? counts.conversions / counts.clicks : null,
  }
}

export function rateFigures(counts: Counts): RateFigures {
  const interval = (x: number, n: number): [number, number] | null => {
    if (n === 0) return null
    const {low, high} = wilsonInterval(x, n)
    return [low, high]
  }
  return {...rates(counts), ctr_ci: interval(counts.clicks, counts.impressions), conversion_ci: interval(counts.conversions, counts.clicks)}
}

/** Treatment against control on CTR and on conversion; each null when either side has no trials. */
export function diffFigures(control: Counts, treatment: Counts): {ctr: DiffFigures | null; conversion: DiffFigures | null} {
  const diff = (xa: number, na: number, xb: number, nb: number): DiffFigures | null => {
    if (na === 0 || nb === 0) return null
    const r = compareProportions(xa, na, xb, nb)
    return {diff: r.diff, ci: [r.low, r.high], p_value: r.pValue}
  }
  return {
    ctr: diff(control.clicks, control.impressions, treatment.clicks, treatment.impressions),
    conversion: diff(control.conversions, control.clicks, treatment.conversions, treatment.clicks),
  }
}
