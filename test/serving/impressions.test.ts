// The served-impression log and attribution, through a real fastify app over a SqliteStore in a temp dir.
import {join} from 'node:path'

import type {FastifyInstance} from 'fastify'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {applyOverrides} from '../../src/lib/mixer/overrides.js'
import {createApp} from '../../src/lib/serving/app.js'
import {Recommender} from '../../src/lib/serving/recommender.js'
import {type ServingEngine, loadServingEngine} from '../../src/lib/serving/serving-engine.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {tempDir} from '../helpers/cli.js'
import {itemId, trainWorld, userId} from './world-fixture.js'

// exploration at 0.5: about half the feeds explore, so both propensities of the exploration slot show up
const config = applyOverrides(MixerConfigSchema.parse({}), {'exploration-rate': 0.5})
const K = 8

type Served = {
  user_id: string
  known_user: boolean
  request_id: string
  versions: Record<string, string>
  items: {item_id: string; score: number; source: string}[]
  debug?: {stages: {stage: string; id: string; in: number}[]; skipped: {id: string; reason: string}[]}
}

describe('impression log and attribution', () => {
  let engine: ServingEngine
  let dir: string
  beforeAll(async () => {
    dir = tempDir()
    const trained = await trainWorld(dir)
    engine = await loadServingEngine({retrieval: trained.ckpt, index: trained.index, dataset: trained.dataset}, config, {dataset: await readDataset(trained.dataset)})
  })

  const serve = (store: SqliteStore | undefined, attributionWindowMs?: number) => createApp({recommender: new Recommender(engine, config, store, 'none'), tokens: [], attributionWindowMs})
  const feed = async (app: FastifyInstance, user: bigint, seed: number): Promise<Served> => {
    const res = await app.inject({method: 'GET', url: `/v1/recommendations?user_id=${user}&k=${K}&seed=${seed}&debug=true`})
    expect(res.statusCode).toBe(200)
    return res.json() as Served
  }
  // side effects start once the response is out (setImmediate); a real client's next request cannot arrive sooner
  const responseSent = () => new Promise((resolve) => setImmediate(resolve))
  const post = async (app: FastifyInstance, payload: object) => {
    const res = await app.inject({method: 'POST', url: '/v1/interactions', payload})
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as {stored: number; attributed?: number; unattributed?: number}
  }

  it('logs every slot of every served feed with its request_id, position, source, score, versions and propensity', async () => {
    const store = new SqliteStore(join(dir, 'state-log'))
    const app = serve(store)
    const feeds: Served[] = []
    const started = Date.now()
    for (let i = 0; i < 12; i++) feeds.push(await feed(app, userId(i % 6), i + 1))
    const ended = Date.now()
    // the response's keys in the agreed order
    expect(Object.keys(feeds[0])).toEqual(['user_id', 'known_user', 'request_id', 'versions', 'strategy', 'served_from', 'items', 'debug'])
    expect(new Set(feeds.map((f) => f.request_id)).size).toBe(feeds.length)
    expect(feeds[0].versions).toEqual(engine.versions)
    await app.close() // flushes the writer
    const logged = await store.impressions()
    await store.close()

    expect(logged.length).toBe(feeds.length * K)
    let explored = 0
    for (const f of feeds) {
      const rows = logged.filter((r) => r.requestId === f.request_id)
      expect(rows.map((r) => [String(r.itemId), r.position, r.source, r.score])).toEqual(f.items.map((item, position) => [item.item_id, position, item.source, item.score]))
      for (const r of rows) {
        expect(r.userId).toBe(BigInt(f.user_id))
        expect(r.versions).toEqual(f.versions)
        expect(r.ts).toBeGreaterThanOrEqual(started)
        expect(r.ts).toBeLessThanOrEqual(ended)
      }
      // the exploration slot, the last: rate / (n - k) when it explored, else 1 - rate; the others are deterministic
      const n = f.debug!.stages.find((s) => s.id === 'Exploration')!.in
      const last = rows[K - 1]
      if (last.source.endsWith('+Explore')) explored++
      expect(last.propensity).toBeCloseTo(last.source.endsWith('+Explore') ? 0.5 / (n - K) : 0.5, 12)
      for (const r of rows.slice(0, K - 1)) expect(r.propensity).toBeUndefined()
    }
    expect(explored).toBeGreaterThan(0)
    expect(explored).toBeLessThan(feeds.length)
  })

  it('attributes by request_id and by window, before any flush; a click outside the window or on an item not shown is unattributed and still stored', async () => {
    const store = new SqliteStore(join(dir, 'state-attribution'))
    const app = serve(store, 60_000)
    const user = userId(3)
    const served = await feed(app, user, 7)
    await responseSent()
    expect(await store.countImpressions()).toBe(0) // still queued: the writer flushes at 200 ms or 1,000 rows
    const [first, second] = served.items
    const notShown = [...Array(60).keys()].map((i) => String(itemId(i))).find((id) => !served.items.some((item) => item.item_id === id))!
    const now = Date.now()
    expect(await post(app, {user_id: String(user), item_id: first.item_id, event: 'click', request_id: served.request_id})).toEqual({stored: 1, attributed: 1, unattributed: 0})
    expect(await post(app, [
      {user_id: String(user), item_id: second.item_id, event: 'like', ts: now}, // within the window
      {user_id: String(user), item_id: second.item_id, event: 'share', ts: now + 120_000}, // 2 min later: beyond the 1 min window
      {user_id: String(user), item_id: notShown, event: 'click'},
      {user_id: String(userId(4)), item_id: first.item_id, event: 'click', request_id: served.request_id}, // not this user's feed
    ])).toEqual({stored: 4, attributed: 1, unattributed: 3})
    const text = (await app.inject({method: 'GET', url: '/metrics'})).body
    expect(text).toContain('rec_interactions_attributed_total{by="request_id"} 1\n')
    expect(text).toContain('rec_interactions_attributed_total{by="window"} 1\n')
    expect(text).toContain('rec_interactions_unattributed_total 3\n')
    await new Promise((resolve) => setTimeout(resolve, 400)) // the 200 ms flush
    expect((await app.inject({method: 'GET', url: '/metrics'})).body).toContain(`rec_impressions_logged_total ${K}\n`)
    await app.close()
    expect((await store.interactions()).map((r) => r.requestId)).toEqual([served.request_id, served.request_id, undefined, undefined, undefined])
    // after the flush the store alone attributes: a new app over the same state, with the default 24 h window
    const again = serve(store)
    expect(await post(again, {user_id: String(user), item_id: served.items[2].item_id, event: 'click'})).toEqual({stored: 1, attributed: 1, unattributed: 0})
    expect(await post(again, {user_id: String(user), item_id: served.items[2].item_id, event: 'click', request_id: served.request_id})).toEqual({stored: 1, attributed: 1, unattributed: 0})
    await again.close()
    expect((await store.interactions()).slice(-2).map((r) => r.requestId)).toEqual([served.request_id, served.request_id])
    await store.close()
  })

  it('without a store ImpressionLog is skipped with its reason, and interactions report only what was stored', async () => {
    const app = serve(undefined)
    const served = await feed(app, userId(1), 1)
    expect(served.debug!.skipped).toContainEqual({id: 'ImpressionLog', reason: 'no store (--state or --store)'})
    expect(await post(app, {user_id: String(userId(1)), item_id: served.items[0].item_id, event: 'click', request_id: served.request_id})).toEqual({stored: 1})
    expect((await app.inject({method: 'GET', url: '/metrics'})).body).not.toContain('rec_impressions_logged_total')
    await app.close()
  })
})
