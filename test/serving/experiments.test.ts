// A server with an experiment: two arms on two registry versions, the response fields, forced arms, reroutes, and an alias move reloading one arm.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {recommendAll} from '../../src/lib/batch/recommend-all.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {ExperimentRouter} from '../../src/lib/experiments/assign.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {applyOverrides} from '../../src/lib/mixer/overrides.js'
import type {ServedFeed} from '../../src/lib/mixer/types.js'
import {setAlias} from '../../src/lib/registry/index.js'
import {Arms} from '../../src/lib/serving/arms.js'
import {type Feed, Recommender} from '../../src/lib/serving/recommender.js'
import {type RunningServer, startServer} from '../../src/lib/serving/server.js'
import {buildServingEngine, loadServingModels} from '../../src/lib/serving/serving-engine.js'
import {tempDir} from '../helpers/cli.js'
import {N_USERS, trainWorld, type Trained, twoVersionRegistry, userId} from './world-fixture.js'

const TOKEN = 'admin-token'
const auth = {authorization: `Bearer ${TOKEN}`}
const EXPERIMENTS = `experiments:
  - id: home
    salt: s1
    arms:
      - {name: control, percent: 50, retrieval: production}
      - {name: treatment, percent: 50, retrieval: treatment, mmr-lambda: 1}
    guardrail: {min-impressions: 300, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0.5, days: 7}
`

type AdminArm = {name: string; percent: number; overrides: Record<string, unknown>; versions: {retrieval: string}; registry: {retrieval: {alias: string; version: number}}; loaded_at: string; models: number; skipped: {id: string}[]; rerouted_to?: string}
type Admin = {versions: {retrieval: string}; experiment: {id: string; control: string; arms: AdminArm[]; reroutes: {from: string; to: string}[]}}

describe('rec serve --experiments', () => {
  let dir: string
  let trained: Trained
  let registry: string
  let file: string
  let server: RunningServer
  const users = Array.from({length: N_USERS}, (_, u) => userId(u))
  const open = (workers: number) => startServer({dataset: trained.dataset, registry, experiments: file, host: '127.0.0.1', port: 0, online: 'private', requireAuth: false, tokens: [TOKEN], logLevel: 'silent', watchIntervalMs: 50, workers})
  const feed = async (target: RunningServer, user: bigint, query = '', headers: Record<string, string> = {}) => {
    const res = await fetch(`${target.url}/v1/recommendations?user_id=${user}&k=5&debug=true${query}`, {headers})
    return {status: res.status, body: (await res.json()) as Feed & Record<string, unknown>}
  }
  const admin = async () => (await (await fetch(`${server.url}/admin/models`, {headers: auth})).json()) as Admin
  const arm = async (name: string) => (await admin()).experiment.arms.find((a) => a.name === name)!

  beforeAll(async () => {
    dir = tempDir()
    trained = await trainWorld(dir)
    registry = await twoVersionRegistry(dir, trained, {production: [1], treatment: [2]})
    file = join(dir, 'experiments.yaml')
    writeFileSync(file, EXPERIMENTS)
    // one pipeline worker: each arm is a generation there, as on the HTTP thread
    server = await open(1)
  })
  afterAll(async () => {
    await server?.close()
  })

  it('serves each user the arm of their bucket, with its own models and overrides, and says which in every response', async () => {
    const router = server.router!
    const seen = new Set<string>()
    for (const user of [...users, 987654321987n]) {
      const {status, body} = await feed(server, user)
      expect(status).toBe(200)
      expect(Object.keys(body)).toEqual(['user_id', 'known_user', 'request_id', 'experiment', 'arm', 'versions', 'strategy', 'served_from', 'items', 'debug'])
      const assigned = router.assign(user).arm
      expect(body).toMatchObject({experiment: 'home', arm: assigned})
      expect(body.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(body.versions.retrieval).toContain(assigned === 'control' ? 'ckpt-1' : 'ckpt-2')
      // mmr-lambda 1 leaves Mmr out of the treatment's pipeline only
      expect(body.debug!.skipped.map((s) => s.id).includes('Mmr')).toBe(assigned === 'treatment')
      expect(body.debug!.stages.some((s) => s.id === 'Mmr')).toBe(assigned === 'control')
      seen.add(assigned)
    }
    expect([...seen].sort()).toEqual(['control', 'treatment'])
    // interactions adapt the user's own arm
    const treated = users.find((u) => router.assign(u).arm === 'treatment')!
    const res = await fetch(`${server.url}/v1/interactions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user_id: String(treated), item_id: (await feed(server, treated)).body.items[0].item_id, event: 'like'})})
    expect(res.status).toBe(201)
    const models = await admin()
    expect(models.experiment).toMatchObject({id: 'home', control: 'control', reroutes: []})
    expect(models.experiment.arms.map((a) => [a.name, a.percent, a.overrides, a.registry.retrieval])).toEqual([
      ['control', 50, {}, {alias: 'production', version: 1}],
      ['treatment', 50, {'mmr-lambda': 1}, {alias: 'treatment', version: 2}],
    ])
    expect(models.versions.retrieval).toContain('ckpt-1') // the top level is the control's
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/rec_model_info\{arm="treatment",kind="retrieval",version="[^"]*ckpt-2@/)
  })

  it('gives a restarted server (a fresh instance, without workers) the same assignment for every user', async () => {
    const again = await open(0)
    try {
      for (const user of [...users, 5n, 12345678901234n]) expect((await feed(again, user)).body.arm, String(user)).toBe((await feed(server, user)).body.arm)
    } finally {
      await again.close()
    }
  })

  it('?arm=NAME forces an arm with an admin token only; an unknown arm is named', async () => {
    const user = users.find((u) => server.router!.assign(u).arm === 'control')!
    for (const headers of [{}, {authorization: 'Bearer wrong'}] as Record<string, string>[]) {
      const refused = await feed(server, user, '&arm=treatment', headers)
      expect(refused.status).toBe(401)
      expect(refused.body).toEqual({error: 'UNAUTHORIZED', message: 'a valid bearer token is required (Authorization: Bearer <token>)'})
    }
    const forced = await feed(server, user, '&arm=treatment', auth)
    expect(forced.status).toBe(200)
    expect(forced.body).toMatchObject({experiment: 'home', arm: 'treatment'})
    expect(forced.body.versions.retrieval).toContain('ckpt-2')
    expect((await feed(server, user)).body.arm).toBe('control')
    const unknown = await feed(server, user, '&arm=bold', auth)
    expect(unknown.status).toBe(400)
    expect(unknown.body).toEqual({error: 'INVALID_ARGUMENT', message: 'arm "bold" is not an arm of experiment home (arms: control, treatment)'})
  })

  it('a reroute serves the arm\'s users the control from the next request, saying where they came from', async () => {
    const router = server.router!
    const treated = users.filter((u) => router.assign(u).arm === 'treatment')
    router.reroute('home', 'treatment', 'control')
    try {
      for (const user of treated) {
        const {body} = await feed(server, user)
        expect(Object.keys(body)).toEqual(['user_id', 'known_user', 'request_id', 'experiment', 'arm', 'rerouted_from', 'versions', 'strategy', 'served_from', 'items', 'debug'])
        expect(body).toMatchObject({arm: 'control', rerouted_from: 'treatment'})
        expect(body.versions.retrieval).toContain('ckpt-1')
      }
      const models = await admin()
      expect(models.experiment.reroutes).toMatchObject([{from: 'treatment', to: 'control'}])
      expect(models.experiment.arms.map((a) => a.rerouted_to)).toEqual([undefined, 'control'])
    } finally {
      router.reroute('home', 'treatment', 'treatment')
    }
    expect((await feed(server, treated[0])).body).toMatchObject({arm: 'treatment'})
    expect((await feed(server, treated[0])).body.rerouted_from).toBeUndefined()
  })

  it('moving the treatment alias reloads that arm alone, onto the models the control already holds', async () => {
    const before = await admin()
    const [control, treatment] = before.experiment.arms
    expect(control.models).not.toBe(treatment.models)
    const user = users.find((u) => server.router!.assign(u).arm === 'treatment')!
    await setAlias(registry, 'treatment', 1)
    const deadline = Date.now() + 20_000
    const statuses: number[] = []
    while ((await arm('treatment')).registry.retrieval.version !== 1) {
      if (Date.now() > deadline) throw new Error('alias move not followed')
      statuses.push((await feed(server, user)).status)
      await sleep(20)
    }
    expect(statuses.every((s) => s === 200)).toBe(true)
    const after = await admin()
    // the control was not reloaded; the treatment now shares its models, and keeps its own overrides
    expect(after.experiment.arms[0]).toEqual(control)
    expect(after.experiment.arms[1]).toMatchObject({models: control.models, loaded_at: control.loaded_at, versions: control.versions, overrides: {'mmr-lambda': 1}})
    const {body} = await feed(server, user)
    expect(body).toMatchObject({arm: 'treatment'})
    expect(body.versions.retrieval).toContain('ckpt-1')
    expect(body.debug!.skipped.map((s) => s.id)).toContain('Mmr')
  })

  it('POST /admin/reload reloads every arm, keeping each arm\'s models and overrides', async () => {
    const before = (await admin()).experiment.arms
    const res = await fetch(`${server.url}/admin/reload`, {method: 'POST', headers: auth})
    expect(res.status).toBe(200)
    const after = (await admin()).experiment.arms
    for (const [i, arm] of after.entries()) {
      expect(arm.loaded_at).not.toBe(before[i].loaded_at)
      expect(arm).toMatchObject({name: before[i].name, versions: before[i].versions, overrides: before[i].overrides, registry: before[i].registry})
    }
    // arms on the same checkpoints still share one load
    expect(after[0].models === after[1].models).toBe(before[0].models === before[1].models)
    for (const user of users.slice(0, 6)) expect((await feed(server, user)).status).toBe(200)
  })

  it('loads the models once for arms that differ only in mixer overrides (the server\'s own --retrieval)', async () => {
    const own = join(dir, 'own.yaml')
    writeFileSync(own, 'experiments:\n  - id: home\n    salt: s1\n    arms:\n      - {name: control, percent: 50}\n      - {name: lean, percent: 50, quotas: {Graph: 0}, exploration-rate: 0}\n')
    const base = {dataset: trained.dataset, experiments: own, host: '127.0.0.1', port: 0, online: 'none' as const, requireAuth: false, tokens: [TOKEN], logLevel: 'silent', workers: 0}
    await expect(startServer(base)).rejects.toThrow(`${own}: arm control, lean names no retrieval, so it serves the server's own models: give --retrieval (and --index) or --registry with --alias`)
    const shared = await startServer({...base, retrieval: trained.ckpt, index: trained.index})
    try {
      const models = (await (await fetch(`${shared.url}/admin/models`, {headers: auth})).json()) as Admin & {experiment: {arms: (AdminArm & {sources: {id: string}[]})[]}}
      const [control, lean] = models.experiment.arms
      expect(lean.models).toBe(control.models)
      expect(lean.versions).toEqual(control.versions)
      expect(control.sources.map((s) => s.id)).toContain('Graph')
      expect(lean.sources.map((s) => s.id)).not.toContain('Graph')
      expect(lean.skipped.map((s) => s.id)).toEqual(expect.arrayContaining(['Graph', 'Exploration']))
    } finally {
      await shared.close()
    }
    // an arm whose registry checkpoint is the --retrieval directory serves --index too; the other an exact index in memory
    // (versions, not the aliases: an earlier test moves the treatment alias)
    const byVersion = join(dir, 'versions.yaml')
    writeFileSync(byVersion, EXPERIMENTS.replace('retrieval: production', 'retrieval: 1').replace('retrieval: treatment', 'retrieval: 2'))
    const indexed = await startServer({...base, experiments: byVersion, registry, retrieval: join(dir, 'ckpt-1'), index: trained.index})
    try {
      const [control, treatment] = ((await (await fetch(`${indexed.url}/admin/models`, {headers: auth})).json()) as Admin).experiment.arms as (AdminArm & {versions: {index: string}})[]
      expect(control.versions.index).toContain(trained.index)
      expect(treatment.versions.index).toMatch(/^in-memory@exact:/)
      expect([control.registry.retrieval, treatment.registry.retrieval]).toEqual([{version: 1}, {version: 2}])
    } finally {
      await indexed.close()
    }
  })

  it('serves a cached list (rec recommend on one arm\'s models) to that arm only; the other arm goes live', async () => {
    const byVersion = join(dir, 'versions-topn.yaml')
    writeFileSync(byVersion, EXPERIMENTS.replace('retrieval: production', 'retrieval: 1').replace('retrieval: treatment', 'retrieval: 2').replace(', mmr-lambda: 1', ''))
    const topn = join(dir, 'topn-control.parquet')
    await recommendAll({dataset: trained.dataset, retrieval: join(dir, 'ckpt-1'), index: trained.index, users: 'all', k: 10, out: topn, workers: 0, generatedAt: Date.now()})
    const cached = await startServer({dataset: trained.dataset, experiments: byVersion, registry, retrieval: join(dir, 'ckpt-1'), index: trained.index, topn, host: '127.0.0.1', port: 0, online: 'none', requireAuth: false, tokens: [TOKEN], logLevel: 'silent', workers: 0})
    try {
      const served = new Map<string, Set<string>>([['control', new Set()], ['treatment', new Set()]])
      for (const user of users) {
        const res = await fetch(`${cached.url}/v1/recommendations?user_id=${user}&k=5`)
        expect(res.status).toBe(200)
        const body = (await res.json()) as Feed & {arm: string}
        served.get(body.arm)!.add(body.served_from)
        expect(body.versions.retrieval).toContain(body.arm === 'control' ? 'ckpt-1' : 'ckpt-2')
      }
      expect([...served.get('control')!]).toEqual(['cache'])
      expect([...served.get('treatment')!]).toEqual(['live'])
    } finally {
      await cached.close()
    }
  })

  it('hands the side effects each feed with its request_id, experiment, arm, versions and serve time', async () => {
    const config = MixerConfigSchema.parse({})
    const models = await loadServingModels({retrieval: trained.ckpt, index: trained.index, dataset: trained.dataset}, config, {dataset: await readDataset(trained.dataset)})
    const router = new ExperimentRouter({id: 'home', salt: 's1', arms: [{name: 'control', percent: 50}, {name: 'treatment', percent: 50}]})
    const engines = new Map([
      ['control', buildServingEngine(models, config, 1)],
      ['treatment', buildServingEngine(models, applyOverrides(config, {'mmr-lambda': 1}), 2)],
    ])
    const recommender = new Recommender(engines.get('control')!, config, undefined, 'none', undefined, new Arms(router, engines))
    const served: ServedFeed[] = []
    recommender.onServed = (feed) => served.push(feed)
    for (const user of users.slice(0, 6)) {
      const started = Date.now()
      const body = JSON.parse(await recommender.recommend(user, {k: 4})) as Feed
      const last = served.at(-1)!
      expect(last).toMatchObject({userId: user, requestId: body.request_id, experiment: 'home', arm: router.assign(user).arm, versions: models.versions})
      expect(last.ts).toBeGreaterThanOrEqual(started)
      expect(last.ts).toBeLessThanOrEqual(Date.now())
      expect(Array.from(last.rows, (row) => String(models.world.items.id(row)))).toEqual(body.items.map((item) => item.item_id))
    }
    router.reroute('home', 'treatment', 'control')
    const treated = users.find((u) => router.assign(u).arm === 'treatment')!
    await recommender.recommend(treated, {k: 4})
    expect(served.at(-1)).toMatchObject({arm: 'control', reroutedFrom: 'treatment'})
  })
})
