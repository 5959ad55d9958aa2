// The attribution join: each served slot with its first attributed click and the conversion that followed it.
import {lowerBound} from '../kernels/lower-bound.js'
import type {Impression, StoredInteraction} from '../store/types.js'
import type {ConversionSpec} from './conversion.js'

/**
 * One impression: a (request_id, item) slot of a served feed. clickedAt is the ts of its first `click`
 * attributed to it (interaction.requestId = the slot's request, same item, same user); convertedAt the
 * ts of the first conversion event by that user on that item within [clickedAt, clickedAt + window]
 * (the conversion itself need not be attributed to any feed).
 */
export interface Slot {
  impression: Impression
  clickedAt?: number
  convertedAt?: number
}

const slotKey = (requestId: string, itemId: bigint) => `${requestId}\u0000${itemId}`
const pairKey = (userId: bigint, itemId: bigint) => `${userId}:${itemId}`

/**
 * Joins impressions with interactions. A slot served twice under one request_id (which the impression
 * log never writes) counts once, the first row. Unattributed clicks, clicks attributed to a request
 * outside `impressions` and clicks by another user than the feed's are ignored: they are not impressions
 * clicked. O(impressions + interactions log interactions).
 */
export function attributeSlots(impressions: readonly Impression[], interactions: readonly StoredInteraction[], conversion: ConversionSpec): Slot[] {
  const slots: Slot[] = []
  const byKey = new Map<string, Slot>()
  for (const impression of impressions) {
    const key = slotKey(impression.requestId, impression.itemId)
    if (byKey.has(key)) continue
    const slot: Slot = {impression}
    byKey.set(key, slot)
    slots.push(slot)
  }
  const converting = new Set(conversion.events)
  // conversion times per (user, item), sorted, for a binary search from each click
  const conversions = new Map<string, number[]>()
  for (const r of interactions) {
    if (r.event === 'click' && r.requestId !== undefined) {
      const slot = byKey.get(slotKey(r.requestId, r.itemId))
      if (slot && slot.impression.userId === r.userId && (slot.clickedAt === undefined || r.ts < slot.clickedAt)) slot.clickedAt = r.ts
    } else if (converting.has(r.event)) {
      const key = pairKey(r.userId, r.itemId)
      const list = conversions.get(key)
      if (list) list.push(r.ts)
      else conversions.set(key, [r.ts])
    }
  }
  const sorted = new Map<string, Float64Array>()
  for (const [key, list] of conversions) sorted.set(key, Float64Array.from(list).sort())
  for (const slot of slots) {
    if (slot.clickedAt === undefined) continue
    const list = sorted.get(pairKey(slot.impression.userId, slot.impression.itemId))
    if (!list) continue
    const first = list[lowerBound(list, slot.clickedAt)]
    if (first !== undefined && first <= slot.clickedAt + conversion.windowMs) slot.convertedAt = first
  }
  return slots
}
