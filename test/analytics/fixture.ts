// A hand-built store for the analytics tests: two days of feeds in experiment "home" (control, treatment) and one outside it,
// with clicks, conversions and the interactions that must not count. The expected figures are worked out in the comments.
import type {Impression, StoredInteraction} from '../../src/lib/store/types.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {tempDir} from '../helpers/cli.js'

export const HOUR = 3_600_000
export const MIN = 60_000
/** 2024-06-01 10:00 UTC and 2024-06-02 10:00 UTC: the two serving days. */
export const DAY1 = Date.UTC(2024, 5, 1, 10)
export const DAY2 = Date.UTC(2024, 5, 2, 10)

function feed(requestId: string, ts: number, userId: bigint, items: bigint[], over: Partial<Impression>): Impression[] {
  return items.map((itemId, position) => ({requestId, ts, userId, itemId, position, source: 'Popular', score: 1 - position / 10, versions: {retrieval: 'v1'}, ...over}))
}

const FOUR = [101n, 102n, 103n, 104n]

/**
 * Impressions (18): c1 (user 1, day 1, control, Popular), t1 (user 2, day 1, treatment, Graph), c2 (user 3,
 * day 2, control, Popular), t2 (user 4, day 2, treatment, Popular+Explore), each items 101-104, strategy
 * mixer; n1 (user 5, day 2, no experiment, Popular, no strategy), items 105 and 106.
 */
export const IMPRESSIONS: Impression[] = [
  ...feed('c1', DAY1, 1n, FOUR, {experiment: 'home', arm: 'control', strategy: 'mixer'}),
  ...feed('t1', DAY1, 2n, FOUR, {experiment: 'home', arm: 'treatment', source: 'Graph', strategy: 'mixer'}),
  ...feed('c2', DAY2, 3n, FOUR, {experiment: 'home', arm: 'control', strategy: 'mixer'}),
  ...feed('t2', DAY2, 4n, FOUR, {experiment: 'home', arm: 'treatment', source: 'Popular+Explore', strategy: 'mixer'}),
  ...feed('n1', DAY2, 5n, [105n, 106n], {}),
]

const click = (userId: bigint, itemId: bigint, ts: number, requestId?: string): StoredInteraction => ({userId, itemId, event: 'click', ts, ...(requestId ? {requestId} : {})})
const act = (event: string, userId: bigint, itemId: bigint, ts: number): StoredInteraction => ({userId, itemId, event, ts})

/**
 * Clicked impressions (5): c1/101 (clicked twice: one), c1/102, t1/103, c2/101, n1/105.
 * Converted (2): c1/101 (like 71 h after the click), t1/103 (like 1 h after). Not converted: c1/102 (share
 * 73 h after: outside 72 h), c2/101 (nothing), n1/105 (its like came before the click).
 * Ignored: user 3's unattributed click on 102, user 4's click attributed to user 3's feed c2, user 2's
 * like on 101 (never clicked).
 */
export const INTERACTIONS: StoredInteraction[] = [
  click(1n, 101n, DAY1 + MIN, 'c1'),
  click(1n, 101n, DAY1 + 2 * MIN, 'c1'),
  act('like', 1n, 101n, DAY1 + MIN + 71 * HOUR),
  click(1n, 102n, DAY1 + MIN, 'c1'),
  act('share', 1n, 102n, DAY1 + MIN + 73 * HOUR),
  click(2n, 103n, DAY1 + 5 * MIN, 't1'),
  act('like', 2n, 103n, DAY1 + 5 * MIN + HOUR),
  act('like', 2n, 101n, DAY1 + 10 * MIN),
  click(3n, 101n, DAY2 + MIN, 'c2'),
  click(3n, 102n, DAY2 + MIN),
  click(4n, 104n, DAY2 + MIN, 'c2'),
  act('like', 5n, 105n, DAY2 - HOUR),
  click(5n, 105n, DAY2 + MIN, 'n1'),
]

/** A temp state directory holding the fixture, written through SqliteStore; the store is closed. */
export async function writeFixtureState(): Promise<string> {
  const dir = tempDir()
  const store = new SqliteStore(dir)
  await store.recordImpressions(IMPRESSIONS)
  await store.record(INTERACTIONS, new Map())
  await store.close()
  return dir
}

export const TOPICS: Record<string, string> = {'101': 'a', '102': 'b', '103': 'a', '104': 'c', '105': 'c'}
export const topicOf = (itemId: bigint) => TOPICS[String(itemId)]
