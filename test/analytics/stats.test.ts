// Analytics over a hand-built store: the attribution join, global stats with days, experiment arms against control, user stats.
import {beforeAll, describe, expect, it} from 'vitest'

import {attributeSlots} from '../../src/lib/analytics/attribute.js'
import {DEFAULT_CONVERSION, resolveConversion} from '../../src/lib/analytics/conversion.js'
import {experimentStats} from '../../src/lib/analytics/experiment-stats.js'
import {globalStats} from '../../src/lib/analytics/global-stats.js'
import {loadSlots} from '../../src/lib/analytics/load-slots.js'
import {userStats} from '../../src/lib/analytics/user-stats.js'
import {statsWindow} from '../../src/lib/analytics/window.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Impression, StoredInteraction} from '../../src/lib/store/types.js'
import {DAY1, DAY2, HOUR, IMPRESSIONS, INTERACTIONS, MIN, topicOf, writeFixtureState} from './fixture.js'

const NOW = Date.UTC(2024, 5, 10) // after every interaction of the fixture
const allTime = statsWindow({now: NOW})

let state: string
beforeAll(async () => {
  state = await writeFixtureState()
})

async function slotsOf(window = allTime, conversion = DEFAULT_CONVERSION) {
  const store = new SqliteStore(state)
  try {
    return await loadSlots(store, window, conversion)
  } finally {
    await store.close()
  }
}

describe('attribution join', () => {
  it('marks each (request, item) slot clicked at its first attributed click and converted by a like or share within 72 h', async () => {
    const {slots} = await slotsOf()
    expect(slots).toHaveLength(18)
    const clicked = slots.filter((s) => s.clickedAt !== undefined).map((s) => `${s.impression.requestId}/${s.impression.itemId}`)
    expect(clicked).toEqual(['c1/101', 'c1/102', 't1/103', 'c2/101', 'n1/105'])
    const c1 = slots.find((s) => s.impression.requestId === 'c1' && s.impression.itemId === 101n)!
    expect(c1.clickedAt).toBe(DAY1 + MIN) // the first of its two clicks
    expect(c1.convertedAt).toBe(DAY1 + MIN + 71 * HOUR)
    expect(slots.filter((s) => s.convertedAt !== undefined).map((s) => `${s.impression.requestId}/${s.impression.itemId}`)).toEqual(['c1/101', 't1/103'])
  })

  it('conversion window edge: 71 h and exactly 72 h after the click count, 73 h does not; a conversion before the click never does', () => {
    const impression = (requestId: string, itemId: bigint): Impression => ({requestId, ts: 0, userId: 9n, itemId, position: 0, source: 'Popular', score: 1, versions: {}})
    const clickAt = 1000
    const rows: StoredInteraction[] = []
    const offsets = {1: 71 * HOUR, 2: 72 * HOUR, 3: 73 * HOUR, 4: -1}
    for (const [item, offset] of Object.entries(offsets)) {
      rows.push({userId: 9n, itemId: BigInt(item), event: 'click', ts: clickAt, requestId: `r${item}`}, {userId: 9n, itemId: BigInt(item), event: 'like', ts: clickAt + offset})
    }
    const slots = attributeSlots(Object.keys(offsets).map((item) => impression(`r${item}`, BigInt(item))), rows, DEFAULT_CONVERSION)
    expect(slots.map((s) => s.convertedAt !== undefined)).toEqual([true, true, false, false])
    // the same user on another item, or another user on the same item, does not convert
    const other = attributeSlots([impression('r1', 1n)], [rows[0], {userId: 9n, itemId: 2n, event: 'like', ts: clickAt + 1}, {userId: 8n, itemId: 1n, event: 'like', ts: clickAt + 1}], DEFAULT_CONVERSION)
    expect(other[0].clickedAt).toBe(clickAt)
    expect(other[0].convertedAt).toBeUndefined()
  })

  it('the conversion events and window are configurable: share within 74 h converts c1/102, the like no longer converts', async () => {
    const {slots} = await slotsOf(allTime, resolveConversion({events: ['share'], windowMs: 74 * HOUR}))
    expect(slots.filter((s) => s.convertedAt !== undefined).map((s) => `${s.impression.requestId}/${s.impression.itemId}`)).toEqual(['c1/102'])
  })

  it('refuses a conversion spec with an unknown event, the click itself, or a non-positive window', () => {
    expect(() => resolveConversion({events: ['purchase']})).toThrow(/conversion event "purchase" is not an event/)
    expect(() => resolveConversion({events: ['click']})).toThrow(/must be another event/)
    expect(() => resolveConversion({windowMs: 0})).toThrow(/positive number of hours/)
    expect(() => resolveConversion({events: []})).toThrow(/at least one event/)
  })
})

describe('global stats', () => {
  it('all time: CTR 5/18 and click -> conversion 2/5 with Wilson intervals, top items, shares and one row per UTC day', async () => {
    const {slots} = await slotsOf()
    const g = globalStats(slots, allTime, DEFAULT_CONVERSION)
    expect(g).toMatchObject({impressions: 18, clicks: 5, conversions: 2, window: {since: null, until: '2024-06-10T00:00:00.000Z', days: null}, conversion: {events: ['like', 'share'], window_hours: 72}})
    expect(g.ctr).toBeCloseTo(5 / 18, 14)
    expect(g.conversion_rate).toBeCloseTo(2 / 5, 14)
    // Wilson 95%: 5/18 -> [0.1250, 0.5087]; 2/5 -> [0.1176, 0.7693]
    expect(g.ctr_ci![0]).toBeCloseTo(0.12499753379553996, 12)
    expect(g.ctr_ci![1]).toBeCloseTo(0.5087265656029745, 12)
    expect(g.conversion_ci![0]).toBeCloseTo(0.11762077423264783, 12)
    expect(g.conversion_ci![1]).toBeCloseTo(0.769275718723987, 12)
    // by clicks, then impressions, then id
    expect(g.top_items.map((r) => [r.item_id, r.impressions, r.clicks])).toEqual([
      ['101', 4, 2],
      ['102', 4, 1],
      ['103', 4, 1],
      ['105', 1, 1],
      ['104', 4, 0],
      ['106', 1, 0],
    ])
    expect(g.top_items[0].ctr).toBe(0.5)
    const share = (rows: {name: string; impressions: number; share: number}[]) => rows.map((r) => [r.name, r.impressions, Number(r.share.toFixed(6))])
    expect(share(g.share.source)).toEqual([['Popular', 10, 0.555556], ['Graph', 4, 0.222222], ['Popular+Explore', 4, 0.222222]])
    expect(share(g.share.arm)).toEqual([['home/control', 8, 0.444444], ['home/treatment', 8, 0.444444], ['(none)', 2, 0.111111]])
    expect(share(g.share.strategy)).toEqual([['mixer', 16, 0.888889], ['(none)', 2, 0.111111]])
    // day 1: c1 + t1 = 8 slots, 3 clicked (c1/101, c1/102, t1/103), 2 converted; day 2: 10 slots, 2 clicked, none converted
    expect(g.daily).toEqual([
      {date: '2024-06-01', impressions: 8, clicks: 3, conversions: 2, ctr: 3 / 8, conversion_rate: 2 / 3},
      {date: '2024-06-02', impressions: 10, clicks: 2, conversions: 0, ctr: 0.2, conversion_rate: 0},
    ])
  })

  it('days=1 at 2024-06-02 23:00 keeps only the second day; the window still lists the day it starts in', async () => {
    const now = Date.UTC(2024, 5, 2, 23)
    const window = statsWindow({days: 1, now})
    const {slots} = await slotsOf(window)
    const g = globalStats(slots, window, DEFAULT_CONVERSION)
    expect(g).toMatchObject({impressions: 10, clicks: 2, conversions: 0, ctr: 0.2, window: {since: '2024-06-01T23:00:00.000Z', until: '2024-06-02T23:00:00.000Z', days: 1}})
    expect(g.daily).toEqual([
      {date: '2024-06-01', impressions: 0, clicks: 0, conversions: 0, ctr: null, conversion_rate: null},
      {date: '2024-06-02', impressions: 10, clicks: 2, conversions: 0, ctr: 0.2, conversion_rate: 0},
    ])
  })

  it('an empty window has no rates and no rows', async () => {
    const window = statsWindow({days: 3, now: Date.UTC(2023, 0, 10)})
    const g = globalStats((await slotsOf(window)).slots, window, DEFAULT_CONVERSION)
    expect(g).toMatchObject({impressions: 0, ctr: null, ctr_ci: null, conversion_rate: null, top_items: [], share: {source: [], arm: [], strategy: []}})
    expect(g.daily).toHaveLength(4) // 01-07 to 01-10: the window ends at 01-10 00:00, which still is a day it touches
  })

  it('refuses days outside 1..3650', () => {
    expect(() => statsWindow({days: 0, now: NOW})).toThrow(/days must be an integer from 1 to 3650/)
    expect(() => statsWindow({days: 1.5, now: NOW})).toThrow(/days must be an integer/)
  })
})

describe('experiment stats', () => {
  it('per arm: control 3/8 clicked, 1 converted; treatment 1/8, 1 converted; treatment minus control with its interval and p-value', async () => {
    const {slots} = await slotsOf()
    const e = experimentStats(slots, {experiment: 'home', window: allTime, conversion: DEFAULT_CONVERSION})
    expect(e.control).toBe('control')
    const [control, treatment] = e.arms
    expect(control).toMatchObject({arm: 'control', impressions: 8, clicks: 3, conversions: 1, ctr: 3 / 8, vs_control: null})
    expect(control.conversion_rate).toBeCloseTo(1 / 3, 14)
    expect(treatment).toMatchObject({arm: 'treatment', impressions: 8, clicks: 1, conversions: 1, ctr: 1 / 8, conversion_rate: 1})
    // Wilson 3/8 -> [0.1368, 0.6943], 1/8 -> [0.0224, 0.4709]
    expect(control.ctr_ci![0]).toBeCloseTo(0.13684428582359737, 12)
    expect(control.ctr_ci![1]).toBeCloseTo(0.6942576053973728, 12)
    expect(treatment.ctr_ci![0]).toBeCloseTo(0.02241749145005667, 12)
    // CTR: 1/8 - 3/8 = -0.25; pooled 4/16: z = -0.25 / sqrt(0.25 * 0.75 * 2/8) = -1.1547, p = 0.2482;
    // unpooled se = sqrt(3/8*5/8/8 + 1/8*7/8/8) = 0.20156 -> [-0.6563, 0.1563]
    const ctr = treatment.vs_control!.ctr!
    expect(ctr.diff).toBeCloseTo(-0.25, 14)
    expect(ctr.p_value).toBeCloseTo(0.24821307898992362, 12)
    expect(ctr.ci[0]).toBeCloseTo(-0.6562790712080806, 12)
    expect(ctr.ci[1]).toBeCloseTo(0.15627907120808066, 12)
    // conversion: 1/1 - 1/3; pooled 2/4: z = (2/3) / sqrt(0.25 * (1/3 + 1)) = 1.1547, p = 0.2482
    const conversion = treatment.vs_control!.conversion!
    expect(conversion.diff).toBeCloseTo(2 / 3, 14)
    expect(conversion.p_value).toBeCloseTo(0.24821307898992362, 12)
    expect(conversion.ci[0]).toBeCloseTo(0.13323203596052124, 12)
    expect(e.daily).toEqual([
      {date: '2024-06-01', arms: [{arm: 'control', impressions: 4, clicks: 2, conversions: 1, ctr: 0.5, conversion_rate: 0.5}, {arm: 'treatment', impressions: 4, clicks: 1, conversions: 1, ctr: 0.25, conversion_rate: 1}]},
      {date: '2024-06-02', arms: [{arm: 'control', impressions: 4, clicks: 1, conversions: 0, ctr: 0.25, conversion_rate: 0}, {arm: 'treatment', impressions: 4, clicks: 0, conversions: 0, ctr: 0, conversion_rate: null}]},
    ])
  })

  it('configured arms come first and in order (the first is the control), unserved ones with zeros', async () => {
    const {slots} = await slotsOf()
    const e = experimentStats(slots, {experiment: 'home', arms: ['treatment', 'control', 'spare'], window: allTime, conversion: DEFAULT_CONVERSION})
    expect(e.control).toBe('treatment')
    expect(e.arms.map((a) => [a.arm, a.impressions])).toEqual([['treatment', 8], ['control', 8], ['spare', 0]])
    expect(e.arms[2]).toMatchObject({ctr: null, ctr_ci: null, vs_control: {ctr: null, conversion: null}})
    expect(() => experimentStats(slots, {experiment: 'home', control: 'nope', window: allTime, conversion: DEFAULT_CONVERSION})).toThrow(/control arm "nope" is not an arm of experiment home/)
  })
})

describe('user stats', () => {
  it('user 1: 4 impressions, 2 clicked, 1 like; topics of clicks and conversions; last active at the share', async () => {
    const {slots, interactions} = await slotsOf()
    const impressions = slots.map((s) => s.impression)
    const u = userStats(1n, impressions, interactions, {window: allTime, conversion: DEFAULT_CONVERSION, topicOf})
    // engaged: click 101 (a) twice, click 102 (b), like 101 (a), share 102 (b)
    expect(u).toEqual({
      user_id: '1',
      window: {since: null, until: '2024-06-10T00:00:00.000Z', days: null},
      impressions: 4,
      clicks: 2,
      ctr: 0.5,
      likes: 1,
      top_topics: [{topic: 'a', count: 3}, {topic: 'b', count: 2}],
      last_active: new Date(DAY1 + MIN + 73 * HOUR).toISOString(),
    })
  })

  it('a user with no activity has zeros and no last activity; a feed alone is activity', async () => {
    const {slots, interactions} = await slotsOf()
    const impressions = slots.map((s) => s.impression)
    expect(userStats(77n, impressions, interactions, {window: allTime, conversion: DEFAULT_CONVERSION})).toMatchObject({impressions: 0, clicks: 0, ctr: null, likes: 0, top_topics: [], last_active: null})
    expect(userStats(4n, impressions, interactions, {window: allTime, conversion: DEFAULT_CONVERSION})).toMatchObject({impressions: 4, clicks: 0, ctr: 0, last_active: new Date(DAY2 + MIN).toISOString()})
  })
})

it('the fixture is what the comments say', () => {
  expect(IMPRESSIONS).toHaveLength(18)
  expect(INTERACTIONS).toHaveLength(13)
})
