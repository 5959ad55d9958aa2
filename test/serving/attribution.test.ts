import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {Attribution, CLOCK_SLACK_MS} from '../../src/lib/serving/attribution.js'
import {PendingImpressions} from '../../src/lib/store/pending-impressions.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Impression, StoredInteraction} from '../../src/lib/store/types.js'
import {tempDir} from '../helpers/cli.js'

const HOUR = 3_600_000
const shown = (requestId: string, ts: number, itemId = 10n, userId = 1n): Impression => ({requestId, ts, userId, itemId, position: 0, source: 'Graph', score: 0.5, versions: {}})
const click = (ts: number, over: Partial<StoredInteraction> = {}): StoredInteraction => ({userId: 1n, itemId: 10n, event: 'click', ts, ...over})

describe('Attribution', () => {
  let store: SqliteStore
  let pending: PendingImpressions
  let attribution: Attribution
  beforeEach(() => {
    store = new SqliteStore(tempDir())
    pending = new PendingImpressions()
    attribution = new Attribution(store, pending, 24 * HOUR)
  })
  afterEach(async () => {
    await store.close()
  })

  it('attributes to the latest impression of (user, item) within the window before the interaction, stored or still queued', async () => {
    await store.recordImpressions([shown('old', 0), shown('day', 10 * HOUR), shown('other-item', 11 * HOUR, 11n), shown('other-user', 11 * HOUR, 10n, 2n)])
    const batch = [click(12 * HOUR), click(10 * HOUR + 24 * HOUR), click(10 * HOUR + 24 * HOUR + 1)]
    expect(await attribution.attribute(batch)).toMatchObject({byRequestId: 0, byWindow: 2, unattributed: 1})
    expect(batch.map((r) => r.requestId)).toEqual(['day', 'day', undefined]) // the window's start is inclusive
    // a feed not flushed yet is newer than anything stored, and wins
    pending.push([shown('queued', 13 * HOUR)])
    const next = [click(13 * HOUR + 5)]
    await attribution.attribute(next)
    expect(next[0].requestId).toBe('queued')
  })

  it('skips an impression later than the interaction beyond the clock slack; a lagging client clock within it still attributes', async () => {
    await store.recordImpressions([shown('earlier', HOUR)])
    pending.push([shown('later', 5 * HOUR)])
    const batch = [click(5 * HOUR - CLOCK_SLACK_MS), click(2 * HOUR), click(HOUR - CLOCK_SLACK_MS - 1)]
    expect(await attribution.attribute(batch)).toMatchObject({byRequestId: 0, byWindow: 2, unattributed: 1})
    // the queued one is too new for the backfill at 2 h: the stored one fits
    expect(batch.map((r) => r.requestId)).toEqual(['later', 'earlier', undefined])
  })

  it('with a request_id, attributes only if that feed showed that item to that user, whatever the window', async () => {
    await store.recordImpressions([shown('feed-a', 0), shown('feed-b', 0, 11n)])
    pending.push([shown('feed-c', 100 * HOUR, 12n)])
    const batch = [
      click(500 * HOUR, {requestId: 'feed-a'}), // stored, days ago
      click(100 * HOUR, {itemId: 12n, requestId: 'feed-c'}), // queued
      click(1, {requestId: 'feed-b'}), // that feed did not show item 10
      click(1, {userId: 2n, requestId: 'feed-a'}), // another user's feed
      click(1, {requestId: 'made-up'}), // no window fallback: the client named a feed
    ]
    expect(await attribution.attribute(batch)).toMatchObject({byRequestId: 2, byWindow: 0, unattributed: 3})
    expect(batch.map((r) => r.requestId)).toEqual(['feed-a', 'feed-c', undefined, undefined, undefined])
    expect('requestId' in batch[4]).toBe(false)
  })
})
