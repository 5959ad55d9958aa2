// /v1/stats and /admin/experiments over the hand-built analytics store: shapes, windows, 4xx for bad input, no store, auth.
import Fastify, {type FastifyInstance, type FastifyRequest} from 'fastify'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {GuardedExperiment} from '../../src/lib/experiments/guardrail.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {createApp} from '../../src/lib/serving/app.js'
import {errorHandler, HttpError} from '../../src/lib/serving/http-errors.js'
import {Recommender} from '../../src/lib/serving/recommender.js'
import {registerExperimentRoutes, registerStatsRoutes} from '../../src/lib/serving/routes-stats.js'
import type {ServingEngine} from '../../src/lib/serving/serving-engine.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {DAY1, HOUR, MIN, topicOf, writeFixtureState} from '../analytics/fixture.js'

const NOW = Date.UTC(2024, 5, 10)
const TOKEN = 'admin-token'
const EXPERIMENTS: GuardedExperiment[] = [
  {id: 'home', arms: [{name: 'control'}, {name: 'treatment'}], guardrail: {'min-impressions': 5, 'ctr-drop-ratio': 0.2, 'conversion-drop-ratio': 0.5, days: 14}},
  {id: 'search', arms: [{name: 'a'}, {name: 'b'}]},
]

const authenticate = async (request: FastifyRequest) => {
  if (request.headers.authorization !== `Bearer ${TOKEN}`) throw new HttpError('UNAUTHORIZED', 'a valid bearer token is required')
}

function appWith(store: SqliteStore | undefined, now = NOW): FastifyInstance {
  const app = Fastify()
  app.setErrorHandler(errorHandler(1 << 20))
  registerStatsRoutes(app, {store, topicOf, now: () => now})
  registerExperimentRoutes(app, {store, experiments: EXPERIMENTS, authenticate, now: () => now})
  return app
}

let store: SqliteStore
let app: FastifyInstance
beforeAll(async () => {
  store = new SqliteStore(await writeFixtureState())
  app = appWith(store)
})
afterAll(async () => {
  await app.close()
  await store.close()
})

const get = async (url: string, token?: string) => {
  const res = await app.inject({method: 'GET', url, headers: token ? {authorization: `Bearer ${token}`} : {}})
  return {status: res.statusCode, body: res.json()}
}

describe('GET /v1/stats/global', () => {
  it('answers CTR, click -> conversion, top items, shares and per-day rows over the last 30 days by default', async () => {
    const {status, body} = await get('/v1/stats/global')
    expect(status).toBe(200)
    expect(body).toMatchObject({
      window: {since: '2024-05-11T00:00:00.000Z', until: '2024-06-10T00:00:00.000Z', days: 30},
      conversion: {events: ['like', 'share'], window_hours: 72},
      impressions: 18,
      clicks: 5,
      conversions: 2,
      conversion_rate: 0.4,
      top_items: [{item_id: '101', impressions: 4, clicks: 2, ctr: 0.5, conversions: 1, conversion_rate: 0.5}, {item_id: '102'}, {item_id: '103'}, {item_id: '105'}, {item_id: '104'}, {item_id: '106'}],
      share: {source: [{name: 'Popular', impressions: 10}, {name: 'Graph'}, {name: 'Popular+Explore'}], arm: [{name: 'home/control', impressions: 8, share: 8 / 18}, {name: 'home/treatment'}, {name: '(none)'}], strategy: [{name: 'mixer', impressions: 16}, {name: '(none)', impressions: 2}]},
    })
    expect(body.ctr).toBeCloseTo(5 / 18, 14)
    expect(body.ctr_ci).toHaveLength(2)
    expect(body.daily).toHaveLength(31) // 05-11 .. 06-10
    expect(body.daily.filter((d: {impressions: number}) => d.impressions > 0)).toEqual([
      {date: '2024-06-01', impressions: 8, clicks: 3, conversions: 2, ctr: 0.375, conversion_rate: 2 / 3},
      {date: '2024-06-02', impressions: 10, clicks: 2, conversions: 0, ctr: 0.2, conversion_rate: 0},
    ])
  })

  it('days=1 on 2024-06-02 23:00 holds the second day only', async () => {
    const late = appWith(store, Date.UTC(2024, 5, 2, 23))
    const res = await late.inject({method: 'GET', url: '/v1/stats/global?days=1'})
    expect(res.json()).toMatchObject({impressions: 10, clicks: 2, ctr: 0.2, window: {days: 1}})
    await late.close()
  })

  it('a bad days or an unknown parameter is a 400 naming it', async () => {
    for (const [query, message] of [
      ['days=0', 'days must be an integer from 1 to 3650, got "0"'],
      ['days=abc', 'days must be an integer from 1 to 3650, got "abc"'],
      ['days=4000', 'days must be an integer from 1 to 3650, got "4000"'],
      ['since=1', 'since is not a known query parameter (known: days)'],
    ]) {
      expect(await get(`/v1/stats/global?${query}`)).toEqual({status: 400, body: {error: 'INVALID_ARGUMENT', message}})
    }
  })
})

describe('GET /v1/stats/users/:id', () => {
  it('user 1: impressions, clicks, CTR, likes, top topics and last activity', async () => {
    expect(await get('/v1/stats/users/1?days=30')).toEqual({
      status: 200,
      body: {
        user_id: '1',
        window: {since: '2024-05-11T00:00:00.000Z', until: '2024-06-10T00:00:00.000Z', days: 30},
        impressions: 4,
        clicks: 2,
        ctr: 0.5,
        likes: 1,
        top_topics: [{topic: 'a', count: 3}, {topic: 'b', count: 2}],
        last_active: new Date(DAY1 + MIN + 73 * HOUR).toISOString(),
      },
    })
  })

  it('an unknown user has zeros (200); a malformed id is a 400', async () => {
    expect(await get('/v1/stats/users/424242')).toMatchObject({status: 200, body: {user_id: '424242', impressions: 0, clicks: 0, ctr: null, likes: 0, top_topics: [], last_active: null}})
    expect(await get('/v1/stats/users/abc')).toEqual({status: 400, body: {error: 'INVALID_ARGUMENT', message: expect.stringMatching(/^id must be an int64 id/)}})
  })
})

describe('without a store', () => {
  it('every stats route answers 404 NOT_FOUND saying the server has no --state', async () => {
    const bare = appWith(undefined)
    for (const [url, token] of [['/v1/stats/global'], ['/v1/stats/users/1'], ['/admin/experiments', TOKEN], ['/admin/experiments/home', TOKEN]]) {
      const res = await bare.inject({method: 'GET', url, headers: token ? {authorization: `Bearer ${token}`} : {}})
      expect(res.statusCode, url).toBe(404)
      expect(res.json()).toEqual({error: 'NOT_FOUND', message: 'this server keeps no store, so it has no stats: start rec serve with --state DIR'})
    }
    await bare.close()
  })
})

describe('GET /admin/experiments', () => {
  it('needs the admin token', async () => {
    expect((await get('/admin/experiments')).status).toBe(401)
    expect((await get('/admin/experiments/home', 'wrong')).status).toBe(401)
  })

  it('lists each experiment: per arm counts, rates with 95% intervals, difference to control with p-value; the guardrail verdict', async () => {
    const {status, body} = await get('/admin/experiments', TOKEN)
    expect(status).toBe(200)
    const [home, search] = body.experiments
    expect(home).toMatchObject({experiment: 'home', control: 'control', window: {days: 14}, guardrail: EXPERIMENTS[0].guardrail, reroutes: []})
    expect(home.daily).toBeUndefined() // the list leaves the per-day rows to /admin/experiments/:id
    expect(home.arms.map((a: {arm: string; impressions: number; clicks: number}) => [a.arm, a.impressions, a.clicks])).toEqual([['control', 8, 3], ['treatment', 8, 1]])
    const treatment = home.arms[1]
    expect(treatment.ctr_ci[0]).toBeCloseTo(0.02241749145005667, 12)
    expect(treatment.vs_control.ctr.diff).toBeCloseTo(-0.25, 14)
    expect(treatment.vs_control.ctr.p_value).toBeCloseTo(0.24821307898992362, 12)
    expect(treatment.vs_control.ctr.ci).toHaveLength(2)
    // 1/8 < 3/8 x 0.8 with 8 impressions each (>= 5): the next evaluation would roll back
    expect(home.verdicts).toMatchObject([{arm: 'treatment', action: 'rollback', status: 'dropped', reason: 'guardrail home/treatment: ctr 0.1250 < 0.3000 (control 0.3750 x (1 - 0.2))'}])
    // no impressions carry "search": its configured arms with zeros, no guardrail
    expect(search).toMatchObject({experiment: 'search', control: 'a', window: {days: 30}, guardrail: null, verdicts: [], arms: [{arm: 'a', impressions: 0, ctr: null, vs_control: null}, {arm: 'b', impressions: 0, vs_control: {ctr: null, conversion: null}}]})
  })

  it('/admin/experiments/:id adds per-day rows per arm, honours days, shows a reroute; an unknown id is a 404', async () => {
    const {body} = await get('/admin/experiments/home?days=30', TOKEN)
    expect(body.window.days).toBe(30)
    expect(body.daily.filter((d: {arms: {impressions: number}[]}) => d.arms.some((a) => a.impressions > 0))).toEqual([
      {date: '2024-06-01', arms: [{arm: 'control', impressions: 4, clicks: 2, conversions: 1, ctr: 0.5, conversion_rate: 0.5}, {arm: 'treatment', impressions: 4, clicks: 1, conversions: 1, ctr: 0.25, conversion_rate: 1}]},
      {date: '2024-06-02', arms: [{arm: 'control', impressions: 4, clicks: 1, conversions: 0, ctr: 0.25, conversion_rate: 0}, {arm: 'treatment', impressions: 4, clicks: 0, conversions: 0, ctr: 0, conversion_rate: null}]},
    ])
    expect(await get('/admin/experiments/nope', TOKEN)).toEqual({status: 404, body: {error: 'NOT_FOUND', message: 'no experiment "nope" (experiments: home, search)'}})
    expect((await get('/admin/experiments/bad%20id', TOKEN)).status).toBe(400)

    await store.saveReroute({experiment: 'home', fromArm: 'treatment', toArm: 'control', reason: 'ctr dropped', at: Date.UTC(2024, 5, 3)})
    const after = (await get('/admin/experiments/home', TOKEN)).body
    expect(after.reroutes).toEqual([{from_arm: 'treatment', to_arm: 'control', reason: 'ctr dropped', at: '2024-06-03T00:00:00.000Z'}])
    expect(after.verdicts[0]).toMatchObject({action: 'none', status: 'already-rerouted'})
  })
})

describe('createApp', () => {
  it('serves /v1/stats from the recommender store; without one, a 404 that says why', async () => {
    // the stats routes touch no model: an engine with only a world is enough to build the app
    const world = {items: {row: () => 0}, topicNames: []}
    const engine = {world, versions: {}, loadedAt: '', pipeline: {sources: [], skipped: []}} as unknown as ServingEngine
    const config = MixerConfigSchema.parse({})
    for (const [withStore, status] of [[true, 200], [false, 404]] as const) {
      const served = createApp({recommender: new Recommender(engine, config, withStore ? store : undefined, 'none'), tokens: [TOKEN]})
      const res = await served.inject({method: 'GET', url: '/v1/stats/global?days=3650'})
      expect(res.statusCode).toBe(status)
      if (withStore) expect(res.json()).toMatchObject({impressions: 18, clicks: 5})
      await served.close()
    }
  })
})
