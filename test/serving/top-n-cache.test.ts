import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {FastifyInstance} from 'fastify'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {recommendAll} from '../../src/lib/batch/recommend-all.js'
import {decodeTopN} from '../../src/lib/batch/top-n-table.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {createApp} from '../../src/lib/serving/app.js'
import {type Feed, Recommender} from '../../src/lib/serving/recommender.js'
import {loadServingEngine, type ServingEngine} from '../../src/lib/serving/serving-engine.js'
import {TopNCache} from '../../src/lib/serving/top-n-cache.js'
import {MemoryTopNLists, StoreTopNLists, type TopNLists} from '../../src/lib/serving/top-n-lists.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Store} from '../../src/lib/store/types.js'
import {tempDir} from '../helpers/cli.js'
import {NSFW_ITEM, itemId, trainWorld, userId} from './world-fixture.js'

const config = MixerConfigSchema.parse({'top-n': {'min-interval': '60s'}})
const T0 = Date.UTC(2025, 0, 1)
const HOUR = 3_600_000

describe('top-N cache', () => {
  let engine: ServingEngine
  let topn: string
  let dir: string
  const opened: {app: FastifyInstance; cache: TopNCache}[] = []
  beforeAll(async () => {
    dir = tempDir()
    const trained = await trainWorld(dir)
    engine = await loadServingEngine({retrieval: trained.ckpt, index: trained.index, dataset: trained.dataset}, config, {dataset: await readDataset(trained.dataset)})
    topn = join(dir, 'topn.parquet')
    await recommendAll({dataset: trained.dataset, retrieval: trained.ckpt, index: trained.index, users: 'all', k: 20, out: topn, workers: 0, generatedAt: T0})
  })
  afterAll(async () => {
    for (const {app, cache} of opened) {
      await app.close()
      await cache.close()
    }
  })

  /** A real app whose recommender consults `lists`; the cache's clock is `clock.now`. */
  const open = async (options: {lists?: TopNLists; store?: Store; recomputeOn?: ('like' | 'hide')[]} = {}) => {
    const clock = {now: T0 + HOUR}
    const recommender = new Recommender(engine, config, options.store, 'private')
    const topN = {...config['top-n'], ...(options.recomputeOn ? {'recompute-on': options.recomputeOn} : {})}
    const cache = new TopNCache({lists: options.lists ?? (await MemoryTopNLists.load(topn)), maxAgeMs: 24 * HOUR, config: topN, now: () => clock.now})
    recommender.useTopN(cache)
    const app = createApp({recommender, tokens: []})
    opened.push({app, cache})
    const feed = async (user: bigint, query = '') => {
      const res = await app.inject({method: 'GET', url: `/v1/recommendations?user_id=${user}${query.includes('k=') ? '' : '&k=10'}${query}`})
      expect(res.statusCode, res.body).toBe(200)
      return res.json() as Feed
    }
    const interact = async (user: bigint, item: bigint, event: string) => {
      const res = await app.inject({method: 'POST', url: '/v1/interactions', payload: {user_id: String(user), item_id: String(item), event}})
      expect(res.statusCode, res.body).toBe(201)
    }
    const metric = async (line: string) => {
      const text = (await app.inject({method: 'GET', url: '/metrics'})).body
      return Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? 0)
    }
    return {app, cache, clock, feed, interact, metric, recommender}
  }

  it('serves a fresh list from the cache: the same items as the live feed, and says so', async () => {
    const {feed, metric} = await open()
    // user 9's list is 20 long (in this 60-item world some have fewer unseen items left)
    const cached = await feed(userId(9), '&k=20')
    expect(cached.served_from).toBe('cache')
    expect(Object.keys(cached)).toEqual(['user_id', 'known_user', 'request_id', 'versions', 'strategy', 'served_from', 'items'])
    expect(cached.versions).toEqual(engine.versions)
    const live = JSON.parse(await new Recommender(engine, config, undefined, 'private').recommend(userId(9), {k: 20})) as Feed
    expect(live.served_from).toBe('live')
    expect(JSON.stringify(cached.items)).toBe(JSON.stringify(live.items))
    // k below the list's length: its first k
    expect((await feed(userId(9))).items).toEqual(live.items.slice(0, 10))
    expect(await metric('rec_topn_served_total{from="cache"}')).toBe(2)
  })

  it('filters at request time: an item the user hid, seen items and unsafe items are not served from the cache', async () => {
    // hide recomputes the list by default: here only likes do, so the list served is the one from the file
    const {feed, interact} = await open({recomputeOn: ['like']})
    const user = userId(6)
    const before = await feed(user)
    const hidden = BigInt(before.items[0].item_id)
    const clicked = BigInt(before.items[1].item_id)
    await interact(user, hidden, 'hide')
    await interact(user, clicked, 'click')
    const after = await feed(user)
    expect(after.served_from).toBe('cache')
    expect(after.items.map((i) => i.item_id)).not.toContain(String(hidden))
    expect(after.items.map((i) => i.item_id)).not.toContain(String(clicked))
    expect(after.items.slice(0, 8)).toEqual(before.items.slice(2, 10))
    for (const feedOf of [before, after]) expect(feedOf.items.map((i) => i.item_id)).not.toContain(String(itemId(NSFW_ITEM)))
  })

  it('computes live when the list is stale, missing, too short, or the request asks for explain, debug or seed', async () => {
    const {feed, clock, metric} = await open()
    expect((await feed(userId(1))).served_from).toBe('cache')
    for (const query of ['&explain=true', '&debug=true', '&seed=3', '&k=21']) expect((await feed(userId(1), query)).served_from, query).toBe('live')
    expect((await feed(123456789n)).served_from).toBe('live') // no list: the cold-start path, live
    clock.now = T0 + 25 * HOUR
    const stale = await feed(userId(1))
    expect(stale.served_from).toBe('live')
    expect(stale.items).toHaveLength(10)
    expect(await metric('rec_topn_served_total{from="live"}')).toBe(6)
    expect(await metric('rec_topn_served_total{from="cache"}')).toBe(1)
  })

  it('falls back to live when too few items are left after the filters', async () => {
    const {feed, interact} = await open()
    const user = userId(9)
    const list = (await feed(user, '&k=20')).items
    for (const item of list.slice(0, 11)) await interact(user, BigInt(item.item_id), 'skip')
    const after = await feed(user)
    expect(after.served_from).toBe('live')
    expect(after.items.map((i) => i.item_id)).not.toContain(list[0].item_id)
  })

  it('recomputes a list after a like, at most once per user per min-interval', async () => {
    const {feed, interact, cache, clock, metric} = await open()
    const user = userId(10)
    const before = await feed(user)
    await interact(user, BigInt(before.items[0].item_id), 'like')
    await interact(user, BigInt(before.items[1].item_id), 'like')
    await cache.drain()
    expect(await metric('rec_topn_recomputes_total')).toBe(1)
    // the new list is the live feed for the session as it stands, generated now, and is what the cache serves
    const after = await feed(user)
    expect(after.served_from).toBe('cache')
    expect(after.items.map((i) => i.item_id)).not.toContain(before.items[0].item_id)
    expect(after).not.toEqual(before)
    // a third like within the interval waits for its end; a click queues nothing
    await interact(user, BigInt(after.items[0].item_id), 'like')
    await interact(userId(11), BigInt(after.items[0].item_id), 'click')
    await cache.drain()
    expect(await metric('rec_topn_recomputes_total')).toBe(1)
    expect(cache.pendingRecomputes).toBe(1)
    clock.now += 61_000
    await cache.drain()
    expect(await metric('rec_topn_recomputes_total')).toBe(2)
    expect(cache.pendingRecomputes).toBe(0)
  })

  it('--topn store: lists read from the store per request, and recomputes written back to it', async () => {
    const store = new SqliteStore(join(dir, 'state'))
    const columns = decodeTopN(readFileSync(topn), topn)
    const u = 12
    const items = Array.from(columns.itemIds.subarray(columns.offsets[u], columns.offsets[u + 1]), (id, j) => {
      const i = columns.offsets[u] + j
      return {itemId: id, score: Math.round(columns.scores[i] * 1e6) / 1e6, source: columns.sources[i], reason: columns.reasons[i]}
    })
    await store.saveTopN([{userId: userId(u), generatedAt: T0, versions: engine.versions, items}])
    const {feed, interact, cache} = await open({lists: new StoreTopNLists(store), store})
    const fromFile = await (await open()).feed(userId(u))
    const served = await feed(userId(u))
    expect(served.served_from).toBe('cache')
    expect(served.items).toEqual(fromFile.items)
    expect((await feed(userId(13))).served_from).toBe('live') // not in the store
    await interact(userId(u), BigInt(served.items[0].item_id), 'like')
    await cache.drain()
    const stored = await store.topN(userId(u))
    expect(stored?.generatedAt).toBe(T0 + HOUR)
    expect(stored?.items.length).toBeGreaterThanOrEqual(10) // 20 asked for; this 60-item world may have fewer left unseen
    expect(stored?.items.map((i) => String(i.itemId))).not.toContain(served.items[0].item_id)
    expect((await feed(userId(u))).served_from).toBe('cache')
    await store.close()
  })
})
