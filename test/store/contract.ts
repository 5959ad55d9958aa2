// The Store contract: one suite every implementation passes (SQLite here; PostgreSQL runs the same).
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Impression, Store, TopNList} from '../../src/lib/store/types.js'

export function storeContract(name: string, open: () => Promise<Store>, reopen: (store: Store) => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open()
    })
    afterEach(async () => {
      await store.close()
    })

    const impression = (over: Partial<Impression>): Impression => ({requestId: 'r1', ts: 1000, userId: 1n, itemId: 10n, position: 0, source: 'Popular', score: 0.5, versions: {retrieval: 'v1'}, ...over})

    it('keeps interactions and sessions across a reopen, with ids beyond 2^53', async () => {
      const big = 9_007_199_254_740_993n
      const state = {history: [big], seen: [big, 6n], delta: Float32Array.of(0.25, -1.5)}
      await store.record([{userId: big, itemId: big, event: 'like', ts: 5, dwellMs: 1200, position: 3, requestId: 'req-a'}, {userId: 2n, itemId: 6n, event: 'click', ts: 7}], new Map([[big, state]]))
      store = await reopen(store)
      expect(await store.countInteractions()).toBe(2)
      expect(await store.interactions()).toEqual([
        {userId: big, itemId: big, event: 'like', ts: 5, dwellMs: 1200, position: 3, requestId: 'req-a'},
        {userId: 2n, itemId: 6n, event: 'click', ts: 7, dwellMs: undefined, position: undefined, requestId: undefined},
      ])
      expect(await store.sessionUsers()).toEqual(new Set([big]))
      expect(await store.session(big)).toEqual(state)
      expect(await store.session(2n)).toBeUndefined()
    })

    it('selects interactions and impressions by time range, in arrival order', async () => {
      await store.record([3, 1, 2].map((ts) => ({userId: 1n, itemId: BigInt(ts), event: 'click', ts})), new Map())
      expect((await store.interactions({since: 2})).map((r) => r.ts)).toEqual([3, 2])
      expect((await store.interactions({until: 3})).map((r) => r.ts)).toEqual([1, 2])
      await store.recordImpressions([impression({ts: 30}), impression({ts: 10, position: 1}), impression({ts: 20, position: 2})])
      expect((await store.impressions({since: 15, until: 30})).map((r) => r.ts)).toEqual([20])
      expect(await store.countImpressions()).toBe(3)
    })

    it('round-trips every impression field, optional ones absent when unset', async () => {
      const full = impression({requestId: 'r2', experiment: 'home', arm: 'treatment', propensity: 0.1, strategy: 'hybrid', strategyProbability: 0.25, versions: {retrieval: 'a@1', ranking: 'b@2'}})
      const bare = impression({requestId: 'r3', position: 1})
      await store.recordImpressions([full, bare])
      expect(await store.impressions()).toEqual([full, bare])
    })

    it('finds the latest impression of (user, item) within the window, or the one of a request', async () => {
      await store.recordImpressions([impression({requestId: 'old', ts: 100}), impression({requestId: 'new', ts: 200}), impression({requestId: 'other', ts: 300, itemId: 11n})])
      expect((await store.findImpression(1n, 10n, {since: 0}))?.requestId).toBe('new')
      expect(await store.findImpression(1n, 10n, {since: 201})).toBeUndefined()
      expect((await store.findImpression(1n, 10n, {since: 0, requestId: 'old'}))?.ts).toBe(100)
      expect(await store.findImpression(2n, 10n, {since: 0, requestId: 'old'})).toBeUndefined() // another user's feed
      expect(await store.findImpression(1n, 10n, {since: 0, requestId: 'missing'})).toBeUndefined()
    })

    it('keeps one reroute per (experiment, arm), the latest', async () => {
      await store.saveReroute({experiment: 'home', fromArm: 'treatment', toArm: 'control', reason: 'ctr', at: 1})
      await store.saveReroute({experiment: 'home', fromArm: 'treatment', toArm: 'control', reason: 'conversion', at: 2})
      store = await reopen(store)
      expect(await store.reroutes()).toEqual([{experiment: 'home', fromArm: 'treatment', toArm: 'control', reason: 'conversion', at: 2}])
    })

    const list = (userId: bigint, generatedAt: number, first: bigint): TopNList => ({
      userId,
      generatedAt,
      versions: {retrieval: `ckpt@${generatedAt}`},
      items: [
        {itemId: first, score: 0.812345, source: 'OutOfNetwork', reason: 'similar to item 9007199254740993 you liked'},
        {itemId: 9_007_199_254_740_995n, score: -0.25, source: 'Popular+Explore', reason: 'exploring: popular in #a "1"'},
      ],
    })

    it('keeps one top-N list per user across a reopen, ids beyond 2^53 and text exact', async () => {
      const big = 9_007_199_254_740_993n
      await store.saveTopN([list(1n, 100, big), list(big, 200, 5n)])
      store = await reopen(store)
      expect(await store.topN(1n)).toEqual(list(1n, 100, big))
      expect(await store.topN(big)).toEqual(list(big, 200, 5n))
      expect(await store.topN(2n)).toBeUndefined()
      await store.saveTopN([list(1n, 150, 7n)])
      expect(await store.topN(1n)).toEqual(list(1n, 150, 7n))
      await store.saveTopN([])
    })

    it('keeps the newest list: an older one saved later, or earlier in the same batch, does not replace it', async () => {
      await store.saveTopN([list(3n, 500, 11n)])
      await store.saveTopN([list(3n, 400, 12n)])
      expect((await store.topN(3n))?.generatedAt).toBe(500)
      await store.saveTopN([list(4n, 300, 13n), list(4n, 200, 14n), list(4n, 300, 15n)])
      expect(await store.topN(4n)).toEqual(list(4n, 300, 15n))
    })

    it('adds bandit counts per arm (creating arms at zero), replaces them whole, and keeps them across a reopen', async () => {
      expect(await store.banditArms('strategy')).toEqual([])
      await store.addBanditCounts('strategy', [{arm: 'mixer', pulls: 1, rewardSum: 0}, {arm: 'content', pulls: 2, rewardSum: 0.5}])
      await store.addBanditCounts('strategy', [{arm: 'mixer', pulls: 3, rewardSum: 1.5}])
      await store.addBanditCounts('other', [{arm: 'mixer', pulls: 9, rewardSum: 9}])
      await store.addBanditCounts('strategy', [])
      store = await reopen(store)
      expect(await store.banditArms('strategy')).toEqual([{arm: 'content', pulls: 2, rewardSum: 0.5}, {arm: 'mixer', pulls: 4, rewardSum: 1.5}])
      await store.replaceBanditArms('strategy', [{arm: 'hybrid', pulls: 10, rewardSum: 2.25}])
      expect(await store.banditArms('strategy')).toEqual([{arm: 'hybrid', pulls: 10, rewardSum: 2.25}])
      expect(await store.banditArms('other')).toEqual([{arm: 'mixer', pulls: 9, rewardSum: 9}])
      await store.replaceBanditArms('strategy', [])
      expect(await store.banditArms('strategy')).toEqual([])
    })
  })
}
