import {join} from 'node:path'

import type {FastifyInstance} from 'fastify'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {applyOverrides} from '../../src/lib/mixer/overrides.js'
import {createApp} from '../../src/lib/serving/app.js'
import {HTTP_STATUS} from '../../src/lib/serving/http-errors.js'
import {type ServingEngine, loadServingEngine} from '../../src/lib/serving/serving-engine.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {Recommender} from '../../src/lib/serving/recommender.js'
import {tempDir} from '../helpers/cli.js'
import {itemId, trainWorld, type Trained, userId} from './world-fixture.js'

const config = applyOverrides(MixerConfigSchema.parse({}), {'exploration-rate': 0})
const TOKEN = 'secret-token'

describe('serving app', () => {
  let trained: Trained
  let engine: ServingEngine
  let state: string
  let store: SqliteStore
  let app: FastifyInstance
  const open = (limit?: {perSecond: number; burst: number}) => {
    store = new SqliteStore(state)
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
    await store.close()
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
    // every response has its own request_id; all else is the same bytes
    const unstamped = (body: string) => body.replace(/"request_id":"[0-9a-f-]{36}"/, '"request_id":""')
    const plain = unstamped((await app.inject({method: 'GET', url})).body)
    const shown = await app.inject({method: 'GET', url: `${url}&display=true`})
    expect(shown.statusCode).toBe(200)
    expect(plain).not.toContain('"display"')
    expect(unstamped((await app.inject({method: 'GET', url: `${url}&display=false`})).body)).toBe(plain)
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

  it('gives every feed a request_id and the versions that served it, and no experiment fields without --experiments', async () => {
    const ids = new Set<string>()
    for (const user of [userId(1), userId(1), 123456789n]) {
      const body = (await app.inject({method: 'GET', url: `/v1/recommendations?user_id=${user}&k=3&debug=true`})).json() as Record<string, unknown>
      expect(Object.keys(body)).toEqual(['user_id', 'known_user', 'request_id', 'versions', 'strategy', 'served_from', 'items', 'debug'])
      expect(body.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(body.versions).toEqual(engine.versions)
      ids.add(body.request_id as string)
    }
    expect(ids.size).toBe(3)
    // forcing an arm: the token first, then there is no experiment to force an arm of
    const forced = await app.inject({method: 'GET', url: `/v1/recommendations?user_id=${userId(1)}&arm=control`})
    expect(forced.statusCode).toBe(401)
    const authorised = await app.inject({method: 'GET', url: `/v1/recommendations?user_id=${userId(1)}&arm=control`, headers: {authorization: `Bearer ${TOKEN}`}})
    expect(authorised.json()).toEqual({error: 'INVALID_ARGUMENT', message: 'arm "control" is given but this server serves no experiment (start rec serve with --experiments)'})
  })

  it('serves an unknown user through the cold-start path', async () => {
    const body = await feed('123456789012345678')
    expect(body.known_user).toBe(false)
    expect(body.items.length).toBeGreaterThan(0)
  })

  it('answers every bad request with one of rec\'s codes and a message naming the field and the rule', async () => {
    const item = String(itemId(1))
    const json = {'content-type': 'application/json'}
    const auth = {authorization: `Bearer ${TOKEN}`}
    type Case = {method?: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string>; status: number; error: string; message: string | RegExp}
    const cases: Case[] = [
      // GET /v1/recommendations
      {url: '/v1/recommendations', status: 400, error: 'INVALID_ARGUMENT', message: 'user_id is required'},
      {url: '/v1/recommendations?user_id=abc', status: 400, error: 'INVALID_ARGUMENT', message: 'user_id must be an int64 id: an integer, or a decimal string for ids above 2^53, got "abc"'},
      {url: '/v1/recommendations?user_id=9223372036854775808', status: 400, error: 'INVALID_ARGUMENT', message: 'user_id must be an int64 id: an integer, or a decimal string for ids above 2^53, got "9223372036854775808"'},
      {url: '/v1/recommendations?user_id=1&k=abc', status: 400, error: 'INVALID_ARGUMENT', message: 'k must be an integer from 1 to 100, got "abc"'},
      {url: '/v1/recommendations?user_id=1&k=-3', status: 400, error: 'INVALID_ARGUMENT', message: 'k must be an integer from 1 to 100, got "-3"'},
      {url: '/v1/recommendations?user_id=1&k=0', status: 400, error: 'INVALID_ARGUMENT', message: 'k must be an integer from 1 to 100, got "0"'},
      {url: '/v1/recommendations?user_id=1&k=101', status: 400, error: 'INVALID_ARGUMENT', message: 'k must be an integer from 1 to 100, got "101"'},
      {url: '/v1/recommendations?user_id=1&explain=yes', status: 400, error: 'INVALID_ARGUMENT', message: 'explain must be true, false, 1 or 0, got "yes"'},
      {url: '/v1/recommendations?user_id=1&seed=-1', status: 400, error: 'INVALID_ARGUMENT', message: 'seed must be an integer from 0 to 999999999, got "-1"'},
      {url: '/v1/recommendations?user_id=1&kk=5', status: 400, error: 'INVALID_ARGUMENT', message: 'kk is not a known query parameter (known: user_id, k, explain, debug, display, seed, arm, strategy)'},
      // GET /v1/items/:id/similar
      {url: `/v1/items/${itemId(3)}/similar?k=0`, status: 400, error: 'INVALID_ARGUMENT', message: 'k must be an integer from 1 to 100, got "0"'},
      {url: `/v1/items/${itemId(3)}/similar?k=-3`, status: 400, error: 'INVALID_ARGUMENT', message: 'k must be an integer from 1 to 100, got "-3"'},
      {url: '/v1/items/x1/similar', status: 400, error: 'INVALID_ARGUMENT', message: 'id must be an int64 id: an integer, or a decimal string for ids above 2^53, got "x1"'},
      {url: '/v1/items/42/similar', status: 404, error: 'NOT_FOUND', message: /\b42\b/},
      // POST /v1/interactions: the body
      {method: 'POST', url: '/v1/interactions', payload: '{"user_id": 1,', headers: json, status: 400, error: 'INVALID_JSON', message: 'body is not valid JSON'},
      {method: 'POST', url: '/v1/interactions', payload: '', headers: json, status: 400, error: 'INVALID_JSON', message: 'body is empty; send a JSON object or array'},
      {method: 'POST', url: '/v1/interactions', payload: '{"user_id": 1, "__proto__": {"x": 1}}', headers: json, status: 400, error: 'INVALID_JSON', message: 'body is not valid JSON'},
      {method: 'POST', url: '/v1/interactions', payload: 'user_id=1', headers: {'content-type': 'application/x-www-form-urlencoded'}, status: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message: 'content-type must be application/json'},
      {method: 'POST', url: '/v1/interactions', payload: JSON.stringify({user_id: 1, item_id: 1, event: 'x'.repeat(100_000)}), headers: json, status: 413, error: 'PAYLOAD_TOO_LARGE', message: 'body is larger than 65536 bytes; send fewer interactions per request'},
      {method: 'POST', url: '/v1/interactions', payload: '5', headers: json, status: 400, error: 'INVALID_ARGUMENT', message: 'body must be an interaction object or an array of 1 to 1000'},
      {method: 'POST', url: '/v1/interactions', payload: [], status: 400, error: 'INVALID_ARGUMENT', message: 'body must hold 1 to 1000 interactions, got 0'},
      // ... and its fields, alone or in an array
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, event: 'like'}, status: 400, error: 'INVALID_ARGUMENT', message: 'item_id is required'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 5}, status: 400, error: 'INVALID_ARGUMENT', message: 'event must be an event name of 1 to 64 characters, got 5'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1.5, item_id: item, event: 'like'}, status: 400, error: 'INVALID_ARGUMENT', message: 'user_id must be an int64 id: an integer, or a decimal string for ids above 2^53, got 1.5'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 9007199254740993, item_id: item, event: 'like'}, status: 400, error: 'INVALID_ARGUMENT', message: 'user_id must be an int64 id: an integer, or a decimal string for ids above 2^53, got 9007199254740992'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 'like', ts: -1}, status: 400, error: 'INVALID_ARGUMENT', message: 'ts must be a time in ms since 1970-01-01 (a number, at least 0), got -1'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 'like', position: 1.5}, status: 400, error: 'INVALID_ARGUMENT', message: 'position must be an integer from 0 to 32767, got 1.5'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 'like', dwell_ms: -5}, status: 400, error: 'INVALID_ARGUMENT', message: 'dwell_ms must be an integer from 0 to 2147483647 (ms), got -5'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 'like', request_id: ''}, status: 400, error: 'INVALID_ARGUMENT', message: 'request_id must be the request_id of the feed that showed the item (a string of 1 to 64 characters), got ""'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 'like', request_id: 7}, status: 400, error: 'INVALID_ARGUMENT', message: 'request_id must be the request_id of the feed that showed the item (a string of 1 to 64 characters), got 7'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 'like', request_id: 'r'.repeat(65)}, status: 400, error: 'INVALID_ARGUMENT', message: /^request_id must be the request_id of the feed that showed the item \(a string of 1 to 64 characters\), got "r{36}\.\.\.$/},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: 1000, item_id: item, event: 'like', extra: 1}, status: 400, error: 'INVALID_ARGUMENT', message: 'extra is not a known field (known: user_id, item_id, event, ts, dwell_ms, position, request_id)'},
      {method: 'POST', url: '/v1/interactions', payload: [{user_id: 1000, item_id: item, event: 'like'}, {user_id: 1000, event: 'like'}], status: 400, error: 'INVALID_ARGUMENT', message: 'interaction 1: item_id is required'},
      {method: 'POST', url: '/v1/interactions', payload: [{user_id: 1000, item_id: item, event: 'like'}, 7], status: 400, error: 'INVALID_ARGUMENT', message: 'interaction 1: must be a JSON object, got 7'},
      {method: 'POST', url: '/v1/interactions', payload: {user_id: '1000', item_id: '1', event: 'like'}, status: 422, error: 'BAD_DATA', message: 'interaction 0: unknown item_id 1'},
      {method: 'POST', url: '/v1/interactions', payload: [{user_id: '1000', item_id: item, event: 'teleport'}], status: 422, error: 'BAD_DATA', message: /^interaction 0: unknown event "teleport" \(events: .*like/},
      // auth, admin, unknown routes
      {url: '/admin/models', status: 401, error: 'UNAUTHORIZED', message: 'a valid bearer token is required (Authorization: Bearer <token>)'},
      {url: '/admin/models', headers: {authorization: 'Bearer wrong'}, status: 401, error: 'UNAUTHORIZED', message: 'a valid bearer token is required (Authorization: Bearer <token>)'},
      {url: '/v2/recommendations', status: 404, error: 'NOT_FOUND', message: 'no route GET /v2/recommendations'},
      {url: '/v1/items/%E0%A4%A/similar', status: 400, error: 'INVALID_ARGUMENT', message: 'the URL has an invalid percent-encoding'},
    ]
    for (const c of cases) {
      const res = await app.inject({method: c.method ?? 'GET', url: c.url, payload: c.payload as string, headers: c.headers})
      const label = `${c.method ?? 'GET'} ${c.url} ${JSON.stringify(c.payload)?.slice(0, 60)}`
      expect(res.statusCode, label).toBe(c.status)
      const body = res.json() as {error: string; message: string}
      expect(Object.keys(body), label).toEqual(['error', 'message'])
      expect(body.error, label).toBe(c.error)
      expect(HTTP_STATUS[body.error as keyof typeof HTTP_STATUS], label).toBe(c.status)
      if (typeof c.message === 'string') expect(body.message, label).toBe(c.message)
      else expect(body.message, label).toMatch(c.message)
    }
    // the admin route without a reload source; without tokens admin is off
    const bare = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: [TOKEN]})
    expect((await bare.inject({method: 'POST', url: '/admin/reload', headers: auth})).json()).toEqual({error: 'CONFLICT', message: 'this server was started without a reloadable model source'})
    await bare.close()
    const closed = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: []})
    expect((await closed.inject({method: 'GET', url: '/admin/models'})).json()).toEqual({error: 'UNAUTHORIZED', message: 'admin routes are disabled: set REC_API_TOKENS'})
    await closed.close()
  })

  it('refuses interaction times beyond the allowed skew ahead of the server clock with 422; earlier times pass', async () => {
    const post = (target: FastifyInstance, payload: unknown) => target.inject({method: 'POST', url: '/v1/interactions', payload: payload as object})
    const like = (ts: number) => ({user_id: '1000', item_id: String(itemId(1)), event: 'like', ts})
    const plain = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: []})
    const year5138 = await post(plain, like(99999999999999))
    expect(year5138.statusCode).toBe(422)
    expect(year5138.json().error).toBe('BAD_DATA')
    expect(year5138.json().message).toMatch(/^interaction 0: ts 99999999999999 \(5138-11-16T09:46:39\.999Z\) is more than 24 h ahead of the server clock \(\d{4}-.*Z\) \(send ms since 1970-01-01 UTC; raise rec serve --max-ts-skew if client clocks run ahead\)$/)
    expect((await post(plain, like(1e300))).json().message).toMatch(/^interaction 0: ts 1e\+300 is more than 24 h ahead/)
    expect((await post(plain, like(Date.now() + 23 * 3600_000))).statusCode).toBe(201)
    expect((await post(plain, like(1_000))).statusCode).toBe(201) // the past is a backfill, not a clock error
    await plain.close()

    const strict = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: [], maxTsSkewMs: 60_000})
    const late = await post(strict, [like(Date.now()), like(Date.now() + 120_000)])
    expect(late.statusCode).toBe(422)
    expect(late.json().message).toMatch(/^interaction 1: ts \d+ \(.*\) is more than 60 s ahead of the server clock/)
    expect((await post(strict, like(Date.now() + 30_000))).statusCode).toBe(201)
    await strict.close()
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
    await store.close()
    app = open()
    const restarted = await feed(user)
    expect(restarted.items.map((i) => i.item_id)).toEqual(after.items.map((i) => i.item_id))
    expect(await store.countInteractions()).toBe(liked.length)
  })

  it('a reason citing a posted item names the event posted: a click is "clicked", a like "liked", after a restart too', async () => {
    // user 4 is in group 0: the other half's items in its feed resemble the posted ones most
    const user = userId(4)
    const post = async (items: number[], event: string) => {
      const res = await app.inject({method: 'POST', url: '/v1/interactions', payload: items.map((i) => ({user_id: String(user), item_id: String(itemId(i)), event}))})
      expect(res.statusCode).toBe(201)
    }
    /** The reasons of the feed citing each posted item, by its id. */
    const cited = async (items: number[]) => {
      const out = new Map<string, string[]>()
      for (const {reason} of (await feed(user)).items) {
        const id = /^similar to item (\d+)\b/.exec(reason)?.[1]
        if (id && items.some((i) => String(itemId(i)) === id)) out.set(id, [...(out.get(id) ?? []), reason])
      }
      return out
    }
    const clicked = [33, 36, 39, 42, 45, 48]
    await post(clicked, 'click')
    const afterClicks = await cited(clicked)
    expect(afterClicks.size).toBeGreaterThan(0)
    for (const [id, reasons] of afterClicks) for (const reason of reasons) expect(reason).toBe(`similar to item ${id} you clicked`)

    const liked = [31, 34, 37, 40, 43, 46]
    await post(liked, 'like')
    const afterLikes = await cited(liked)
    expect(afterLikes.size).toBeGreaterThan(0)
    for (const [id, reasons] of afterLikes) for (const reason of reasons) expect(reason).toBe(`similar to item ${id} you liked`)
    for (const [id, reasons] of await cited(clicked)) for (const reason of reasons) expect(reason).toBe(`similar to item ${id} you clicked`)

    // the events are stored with the session
    const before = (await feed(user)).items
    await app.close()
    store.close()
    app = open()
    expect((await feed(user)).items).toEqual(before)
  })

  it('rate-limits per token or IP with 429', async () => {
    const limited = createApp({recommender: new Recommender(engine, config, undefined, 'none'), tokens: [TOKEN], rateLimit: {perSecond: 0.01, burst: 3}})
    const codes = []
    for (let i = 0; i < 5; i++) codes.push((await limited.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2'})).statusCode)
    expect(codes).toEqual([200, 200, 200, 429, 429])
    const refused = (await limited.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2'})).json() as {error: string; message: string}
    expect(refused.error).toBe('RATE_LIMITED')
    expect(refused.message).toMatch(/^rate limit exceeded; retry in \d+\.\d\d s$/)
    const madeUp = await limited.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2', headers: {authorization: 'Bearer made-up'}})
    expect(madeUp.statusCode).toBe(429)
    const other = await limited.inject({method: 'GET', url: '/v1/recommendations?user_id=1000&k=2', headers: {authorization: `Bearer ${TOKEN}`}})
    expect(other.statusCode).toBe(200)
    await limited.close()
  })
})
