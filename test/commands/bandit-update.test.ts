// rec bandit update: a replay of the bandit's feeds in a state directory replaces the stored counts; bad input exits 2 with one line.
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {replayFeedRewards} from '../../src/lib/bandit/feed-rewards.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Impression} from '../../src/lib/store/types.js'
import {runCli, tempDir} from '../helpers/cli.js'

const NOW = Date.UTC(2024, 5, 10, 12)
const HOUR = 3_600_000

const slot = (requestId: string, ts: number, position: number, over: Partial<Impression> = {}): Impression => ({requestId, ts, userId: 1n, itemId: BigInt(10 + position), position, source: 'Popular', score: 1, versions: {}, ...over})

/** Feeds a (content, 2 slots, liked then clicked), b (content, clicked), c (hybrid, shown only), d (forced: off-policy), e (too old). */
async function writeState(dir: string): Promise<void> {
  const store = new SqliteStore(dir)
  const chosen = (strategy: string) => ({strategy, strategyProbability: 0.5})
  await store.recordImpressions([
    slot('a', NOW - HOUR, 0, chosen('content')),
    slot('a', NOW - HOUR, 1, chosen('content')),
    slot('b', NOW - 2 * HOUR, 0, chosen('content')),
    slot('c', NOW - 3 * HOUR, 0, chosen('hybrid')),
    slot('d', NOW - HOUR, 0, {strategy: 'content'}),
    slot('e', NOW - 30 * HOUR, 0, chosen('hybrid')),
  ])
  await store.record(
    [
      {userId: 1n, itemId: 10n, event: 'click', ts: NOW - HOUR + 5, requestId: 'a'},
      {userId: 1n, itemId: 11n, event: 'like', ts: NOW - HOUR + 9, requestId: 'a'},
      {userId: 1n, itemId: 10n, event: 'click', ts: NOW - 2 * HOUR + 5, requestId: 'b'},
      {userId: 1n, itemId: 10n, event: 'like', ts: NOW - HOUR + 5, requestId: 'd'},
      {userId: 1n, itemId: 10n, event: 'like', ts: NOW - 30 * HOUR + 5, requestId: 'e'},
    ],
    new Map(),
  )
  await store.addBanditCounts('strategy', [{arm: 'mixer', pulls: 99, rewardSum: 1}])
  await store.close()
}

describe('replayFeedRewards', () => {
  it('counts a pull per chosen feed and its largest clipped event weight, skipping forced feeds and unweighted events', () => {
    const arms = replayFeedRewards(
      [{requestId: 'a', strategy: 'x', strategyProbability: 0.2}, {requestId: 'a', strategy: 'x', strategyProbability: 0.2}, {requestId: 'b', strategy: 'y', strategyProbability: 1}, {requestId: 'c', strategy: 'x'}],
      [{event: 'click', requestId: 'a'}, {event: 'like', requestId: 'a'}, {event: 'skip', requestId: 'b'}, {event: 'like', requestId: 'c'}, {event: 'like'}],
      {like: 3, click: 0.5},
    )
    expect(arms).toEqual([{arm: 'x', pulls: 1, rewardSum: 1}, {arm: 'y', pulls: 1, rewardSum: 0}])
  })
})

describe('rec bandit update', () => {
  it('replaces the stored counts with the replay of the window, the same on a second run', () => {
    const dir = tempDir()
    return writeState(dir).then(async () => {
      for (let run = 0; run < 2; run++) {
        const result = runCli(['bandit', 'update', '--state', dir, '--hours', '24', '--now', String(NOW), '--json'])
        expect(result.code, result.stderr).toBe(0)
        const body = JSON.parse(result.stdout) as {feeds: number; before: {arm: string; pulls: number}[]; after: {arm: string; pulls: number; mean_reward: number; interval: number[]}[]}
        expect(body.feeds).toBe(3)
        expect(body.after.map((a) => [a.arm, a.pulls, a.mean_reward])).toEqual([
          ['content', 2, 0.75], // a: like (1) over its click; b: click (0.5)
          ['hybrid', 1, 0],
        ])
        expect(body.before.map((a) => a.arm)).toEqual(run === 0 ? ['mixer'] : ['content', 'hybrid'])
        expect(result.stderr).toMatch(/3 bandit feeds in the last 24 h/)
      }
      const store = new SqliteStore(dir)
      expect(await store.banditArms('strategy')).toEqual([{arm: 'content', pulls: 2, rewardSum: 1.5}, {arm: 'hybrid', pulls: 1, rewardSum: 0}])
      await store.close()
    })
  })

  it('exits 2 with one line for a missing state directory or a bad --hours', () => {
    const missing = runCli(['bandit', 'update', '--state', join(tempDir(), 'nope'), '--hours', '24'])
    expect(missing.code).toBe(2)
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(missing.stderr).toMatch(/^rec: error: .*interactions\.sqlite does not exist/)
    const json = runCli(['bandit', 'update', '--state', join(tempDir(), 'nope'), '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({error: {code: 'NOT_FOUND'}})
    const hours = runCli(['bandit', 'update', '--state', tempDir(), '--hours', '0'])
    expect(hours.code).toBe(2)
    expect(hours.stderr).toMatch(/^rec: error: .*--hours/)
  })
})
