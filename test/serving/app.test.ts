import {join} from 'node:path'

import type {FastifyInstance} from 'fastify'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {applyOverrides} from '../../src/lib/mixer/overrides.js'
import {createApp} from '../../src/lib/serving/app.js'
import {type ServingEngine, loadServingEngine} from '../../src/lib/serving/serving-engine.js'
import {InteractionStore} from '../../src/lib/serving/interaction-store.js'
import {Recommender} from '../../src/lib/serving/recommender.js'
import {tempDir} from '../helpers/cli.js'
import {itemId, trainWorld, type Trained, userId} from './world-fixture.js'

const config = applyOverrides(MixerConfigSchema.parse({}), {'exploration-rate': 0})
const TOKEN = 'secret-token'

describe('serving app', () => {
  let trained: Trained
  let engine: ServingEngine
  let state: string
  let store: InteractionStore
  let app: FastifyInstance
  const open = (limit?: {perSecond: number; burst: number}) => {
    store = new InteractionStore(state)
    return createApp({recommender: new Recommender(engine, config, store, 'private'), tokens: [TOKEN], rateLimit: limit, bodyLimit: 65_536, reload: async () => engine.versions})
  }
  beforeAll(async () => {
    const dir = tempDir()
    trained = await trainWorld(dir)
    engine = await loadServingEngine({retrieval: trained.ckpt, index: trained.index, dataset: trained.dataset}, config, {dataset: await readDataset(trained.dataset)})
    state = join(dir, 'state')
    app = open()
  })
  afterAll(async () => {
    await app.close()
    store.close()
  })

  const feed = async (user: bigint | string, extra = '') => {
    const res = await app.inject({method: 'GET', url: `/v1/recommendations?user_id=${user}&k=10&seed=1${extra}`})
    expect(res.statusCode).toBe(200)
    return res.json() as {known_user: boolean; items: {item_id: string; source: string; reason: string}[]; debug?: {stages: {stage: string; id: string; removed?: number}[]; per_source: Record<string, number>}}
  }

  it('serves a known user a feed of unseen items with sources, reasons and stage timings', async () => {
    const body = await feed(userId(2), '&debug=true')
    expect(body.known_user).toBe(true)
    expect(body.items).toHaveLength(10)
    const history = new Set(engine.world.history.items.subarray(engine.world.history.offsets[3], engine.world.history.offsets[4]))
    for (const item of body.items) {
      expect(BigInt(item.item_id)).toBeGreaterThan(2n ** 53n) // int64 ids survive as strings
      expect(history.has(engine.world.items.row(BigInt(item.item_id)))).toBe(false)
      expect(item.reason).not.toBe('')
    }
    expect(body.debug!.stages.map((s) => s.id)).toEqual(expect.arrayContaining(['OutOfNetwork', 'InNetwork', 'PreviouslySeen', 'Safety', 'RetrievalCosine', 'Mmr', 'Take']))
    expect(body.debug!.per_source.OutOfNetwork).toBeGreaterThan(0)
    // every filter with the count it removed (sources skip seen items themselves, so PreviouslySeen may find none)
    const filters = body.debug!.stages.filter((s) => s.stage === 'filter')
    expect(filters.map((s) => s.id)).toEqual(['PreviouslySeen', 'Duplicates', 'Safety'])
    for (const s of filters) expect(s.removed).toBeGreaterThanOrEqual(0)
    expect(filters.find((s) => s.id === 'Duplicates')!.removed).toBeGreaterThan(0)
  })

  it('display=true adds each item a title, @author, topic and age from the world columns; without it the bytes are unchanged', async () => {
    const url = `/v1/recommendations?user_id=${userId(2)}&k=10&seed=1&explain=true`
    const plain = (await app.inject({method: 'GET', url})).body
    const shown = await app.inject({method: 'GET', url: `${url}&display=true`})
    expect(shown.statusCode).toBe(200)
    expect(plain).not.toContain('"display"')
    expect((await app.inject({method: 'GET', url: `${url}&display=false`})).body).toBe(plain)
    type Shown = {item_id: string; display: {title: string | null; author: string | null; author_id: string | null; topic: string | null; created_at: string | null; age_ms: number | null; reason: string}; reason: string}
    const items = (shown.json() as {items: Shown[]}).items
    const bare = (JSON.parse(plain) as {items: Shown[]}).items
    expect(items.map(({display: _, ...rest}) => rest)).toEqual(bare)
    for (const item of items) {
      // the reason in a person's words: no raw ids, the same words otherwise
      expect(item.display.reason).not.toMatch(/item \d|@\d/)
      const [head] = item.reason.split(/item \d+|@\d+/)
      expect(item.display.reason.startsWith(head)).toBe(true)
      if (/^you follow @\d+$/.test(item.reason)) expect(item.display.reason).toBe(item.reason.replace('@', '@user'))
      const similar = /^similar to item (\d+) you liked$/.exec(item.reason)
      if (similar) {
        const j = Number(BigInt(similar[1]) - itemId(0))
        expect(item.display.reason).toBe(`similar to a #${j < 30 ? 'a' : 'b'}${j % 3} post by @user${userId(j % 10)} you liked`)
      }
      const i = Number(BigInt(item.item_id) - itemId(0))
      // the fixture: author user 1000 + i % 10, topic a|b + i % 3, created (60 - i) h before t0; the clock is the last interaction
      expect(item.display.author).toBe(`@user${userId(i % 10)}`)
      expect(item.display.author_id).toBe(String(userId(i % 10)))
      expect(item.display.topic).toBe(`${i < 30 ? 'a' : 'b'}${i % 3}`)
      expect(item.display.title).toBeNull()
      const created = Date.UTC(2024, 0, 10) - (60 - i) * 3_600_000
      expect(item.display.created_at).toBe(new Date(created).toISOString())
      expect(item.display.age_ms).toBe(engine.world.clock - created)
    }
  })

  it('serves an unknown user through the cold-start path', async () => {
    const body = await feed('123456789012345678')
    expect(body.known_user).toBe(false)
    expect(body.items.length).toBeGreaterThan(0)
  })

  it('answers bad requests with 4xx {error, message}', async () => {
    const cases = [
      {method: 'GET' as const, url: '/v1/recommendations?user_id=abc', status: 400},
      {method: 'GET' as const, url: '/v1/recommendations?user_id=1&k=abc', status: 400},
      {method: 'GET' as const, url: '/v1/recommendations', status: 400},
      {method: 'POST' as const, url: '/v1/interactions', payload: '{"user_id": 1,', status: 400},
      {method: 'POST' as const, url: '/v1/interactions', payload: {user_id: 1000, item_id: String(itemId(1)), event: 5}, status: 400},
      {method: 'POST' as const, url: '/v1/interactions', payload: {user_id: 9007199254740993, item_id: String(itemId(1)), event: 'like'}, status: 400},
      {method: 'POST' as const, url: '/v1/interactions', payload: {user_id: '1000', item_id: '1', event: 'like'}, status: 422, message: /unknown item_id 1\b/},
      {method: 'POST' as const, url: '/v1/interactions', payload: [{user_id: '1000', item_id: String(itemId(1)), event: 'teleport'}], status: 422, message: /teleport/},
      {method: 'POST' as const, url: '/v1/interactions', payload: JSON.stringify({user_id: 1, item_id: 1, event: 'x'.repeat(100_000)}), status: 413},
      {method: 'GET' as const, url: `/v1/items/${itemId(3)}/similar?k=0`, status: 400},
      {method: 'GET' as const, url: '/v1/items/42/similar', status: 404},
    ]
    for (const c of cases) {
      const res = await app.inject({method: c.method, url: c.url, payload: c.payload, headers: c.payload ? {'content-type': 'application/json'} : {}})
      expect(res.statusCode, `${c.method} ${c.url} ${String(c.payload).slice(0, 60)}`).toBe(c.status)
      const body = res.json()
      expect(typeof body.error).toBe('string')
      if (c.message) expect(body.message).toMatch(c.message)
    }
  })

  it('lists similar items without the item itself', async () => {
    const res = await app.inject({method: 'GET', url: `/v1/items/${itemId(3)}/similar?k=4`})
    expect(res.statusCode).toBe(200)
    const ids = res.json().items.map((i: {item_id: string}) => i.item_id)
    expect(ids).toHaveLength(4)
    expect(ids).not.toContain(String(itemId(3)))
  })

  it('protects admin routes with a bearer token', async () => {
    expect((await app.inject({method: 'GET', url: '/admin/models'})).statusCode).toBe(401)
    expect((await app.inject({method: 'GET', url: '/admin/models', headers: {authorization: 'Bearer wrong'}})).statusCode).toBe(401)
    const ok = await app.inject({method: 'GET', url: '/admin/models', headers: {authorization: `Bearer ${TOKEN}`}})
    expect(ok.statusCode).toBe(200)
    expect(ok.json().versions.retrieval).toContain(trained.ckpt)
    expect((await app.inject({method: 'POST', url: '/admin/reload', headers: {authorization: `Bearer ${TOKEN}`}})).statusCode).toBe(200)
  })

  it('--require-auth extends the token check to /v1', async () => {
    const locked = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: [TOKEN], requireAuth: true})
    expect((await locked.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2'})).statusCode).toBe(401)
    expect((await locked.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2', headers: {authorization: `Bearer ${TOKEN}`}})).statusCode).toBe(200)
    expect((await locked.inject({method: 'GET', url: '/healthz'})).statusCode).toBe(200)
    await locked.close()
  })

  it('exposes Prometheus metrics', async () => {
    const text = (await app.inject({method: 'GET', url: '/metrics'})).body
    expect(text).toMatch(/rec_http_requests_total\{route="\/v1\/recommendations",method="GET",status="200"\} \d+/)
    expect(text).toContain('rec_http_request_duration_ms_bucket{route="/v1/recommendations",le="+Inf"}')
    expect(text).toMatch(/rec_stage_duration_ms_count\{stage="source",component="OutOfNetwork"\} \d+/)
    expect(text).toMatch(/rec_source_candidates_total\{source="OutOfNetwork"\} \d+/)
    expect(text).toMatch(/rec_filter_removed_total\{filter="Duplicates"\} [1-9]\d*/)
    expect(text).toMatch(/rec_stage_duration_ms_count\{stage="side-effect",component="ServedItems"\} [1-9]\d*/)
    expect(text).toContain('rec_model_info{kind="retrieval"')
    expect(text).not.toContain('rec_pipeline_queued_runs')
    const pooled = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: [TOKEN], queuedRuns: () => 3})
    expect((await pooled.inject({method: 'GET', url: '/metrics'})).body).toContain('\nrec_pipeline_queued_runs 3')
    await pooled.close()
  })

  it('counts the served items by source once each response is built (the ServedItems side effect)', async () => {
    const fresh = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: [TOKEN]})
    const bySource: Record<string, number> = {}
    for (const user of [1, 2, 3]) {
      const res = await fresh.inject({method: 'GET', url: `/v1/recommendations?user_id=${userId(user)}&k=6`})
      for (const item of res.json().items as {source: string}[]) bySource[item.source] = (bySource[item.source] ?? 0) + 1
    }
    await new Promise((resolve) => setImmediate(resolve))
    const text = (await fresh.inject({method: 'GET', url: '/metrics'})).body
    const counted = Object.fromEntries([...text.matchAll(/^rec_served_items_total\{source="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]))
    expect(counted).toEqual(bySource)
    expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBe(18)
    expect(text).not.toContain('rec_side_effect_failures_total{')
    await fresh.close()
  })

  it('a like changes the next feed, and a restart keeps the session', async () => {
    // user 0 is in group 0 (items 0-29); liking group-1 items must pull group-1 items into the feed
    const user = userId(0)
    const before = await feed(user)
    const otherHalf = (f: {items: {item_id: string}[]}) => f.items.filter((i) => BigInt(i.item_id) >= itemId(30)).length
    const liked = [31, 34, 37, 40, 43, 46].map((i) => ({user_id: String(user), item_id: String(itemId(i)), event: 'like'}))
    const res = await app.inject({method: 'POST', url: '/v1/interactions', payload: liked})
    expect(res.statusCode).toBe(201)
    const after = await feed(user)
    expect(after.items.map((i) => i.item_id)).not.toEqual(before.items.map((i) => i.item_id))
    expect(otherHalf(after)).toBeGreaterThan(otherHalf(before))
    for (const item of after.items) expect(liked.map((l) => l.item_id)).not.toContain(item.item_id)

    // restart: a new app over the same state directory serves the same adapted feed
    await app.close()
    store.close()
    app = open()
    const restarted = await feed(user)
    expect(restarted.items.map((i) => i.item_id)).toEqual(after.items.map((i) => i.item_id))
    expect(store.count()).toBe(liked.length)
  })

  it('rate-limits per token or IP with 429', async () => {
    const limited = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: [TOKEN], rateLimit: {perSecond: 0.01, burst: 3}})
    const codes = []
    for (let i = 0; i < 5; i++) codes.push((await limited.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2'})).statusCode)
    expect(codes).toEqual([200, 200, 200, 429, 429])
    const madeUp = await limited.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2', headers: {authorization: 'Bearer made-up'}})
    expect(madeUp.statusCode).toBe(429)
    const other = await limited.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2', headers: {authorization: `Bearer ${TOKEN}`}})
    expect(other.statusCode).toBe(200)
    await limited.close()
  })
})
