// The online loop end to end in one server: feeds logged as impressions, clicks only on the control's,
// the guardrail rolls the treatment's alias back and serves its users the control from the next request.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readRegistry} from '../../src/lib/registry/index.js'
import type {Feed} from '../../src/lib/serving/recommender.js'
import {type RunningServer, startServer} from '../../src/lib/serving/server.js'
import {tempDir} from '../helpers/cli.js'
import {N_USERS, trainWorld, type Trained, twoVersionRegistry, userId} from './world-fixture.js'

const TOKEN = 'admin-token'
const auth = {authorization: `Bearer ${TOKEN}`}
const MIN = 60

interface Verdict {
  arm: string
  action: string
  status: string
  reason: string
}

describe('guardrails inside rec serve', () => {
  let dir: string
  let trained: Trained
  let registry: string
  let file: string
  let state: string
  let server: RunningServer
  const users = Array.from({length: N_USERS}, (_, u) => userId(u))
  const open = () => startServer({dataset: trained.dataset, registry, experiments: file, state, host: '127.0.0.1', port: 0, online: 'private', requireAuth: false, tokens: [TOKEN], logLevel: 'silent', watchIntervalMs: 50, workers: 0, guardrailIntervalMs: 0})
  const feed = async (user: bigint) => (await (await fetch(`${server.url}/v1/recommendations?user_id=${user}&k=5`)).json()) as Feed
  const evaluate = async () => {
    const res = await fetch(`${server.url}/admin/guardrails/evaluate`, {method: 'POST', headers: auth})
    expect(res.status).toBe(200)
    return ((await res.json()) as {verdicts: Verdict[]}).verdicts
  }

  beforeAll(async () => {
    dir = tempDir()
    trained = await trainWorld(dir)
    // the treatment alias moved 1 -> 2: the release a rollback undoes
    registry = await twoVersionRegistry(dir, trained, {production: [1], treatment: [1, 2]})
    file = join(dir, 'experiments.yaml')
    writeFileSync(
      file,
      `experiments:
  - id: home
    salt: s1
    arms:
      - {name: control, percent: 50, retrieval: production}
      - {name: treatment, percent: 50, retrieval: treatment}
    guardrail: {min-impressions: ${MIN}, ctr-drop-ratio: 0.5, conversion-drop-ratio: 0.5, days: 7}
`,
    )
    state = join(dir, 'state')
    server = await open()
  })
  afterAll(async () => {
    await server?.close()
  })

  it('never acts below min-impressions, and says so', async () => {
    const one = await feed(users[0])
    expect(one.experiment).toBe('home')
    await new Promise((r) => setTimeout(r, 400)) // the impression log flushes every 200 ms
    const [verdict] = await evaluate()
    expect(verdict).toMatchObject({arm: 'treatment', action: 'none', status: 'below-min-impressions'})
    expect(verdict.reason).toMatch(String(MIN))
  })

  it('a CTR drop on the treatment rolls its alias back and serves its users the control from the next request', async () => {
    const byArm = new Map<string, bigint[]>()
    for (let round = 0; round < 3; round++) {
      for (const user of users) {
        const body = await feed(user)
        byArm.set(body.arm!, [...new Set([...(byArm.get(body.arm!) ?? []), user])])
        // scripted: the control's users click their first two items, the treatment's click nothing
        if (body.arm !== 'control') continue
        const clicks = body.items.slice(0, 2).map((item, position) => ({user_id: String(user), item_id: item.item_id, event: 'click', request_id: body.request_id, position, ts: Date.now()}))
        const res = await fetch(`${server.url}/v1/interactions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(clicks)})
        expect(res.status).toBe(201)
        expect(await res.json()).toMatchObject({stored: 2, attributed: 2, unattributed: 0})
      }
    }
    expect(byArm.get('treatment')!.length).toBeGreaterThan(0)
    await new Promise((r) => setTimeout(r, 400))
    const [verdict] = await evaluate()
    expect(verdict).toMatchObject({arm: 'treatment', action: 'rollback', status: 'dropped'})
    const alias = (await readRegistry(registry)).aliases.treatment
    expect(alias.version).toBe(1)

    const treated = byArm.get('treatment')![0]
    const next = await feed(treated)
    expect(next).toMatchObject({experiment: 'home', arm: 'control', rerouted_from: 'treatment'})
    // idempotent: a second evaluation does nothing more
    const [again] = await evaluate()
    expect(again).toMatchObject({action: 'none', status: 'already-rerouted'})
    expect((await readRegistry(registry)).aliases.treatment.version).toBe(1)
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^rec_guardrail_rollbacks_total 1$/m)

    // the reroute is in the store: a restarted server keeps serving those users the control
    await server.close()
    server = await open()
    expect(await feed(treated)).toMatchObject({arm: 'control', rerouted_from: 'treatment'})
  })

  it('/admin/experiments/:id reports each arm with intervals and the difference to control', async () => {
    const res = await fetch(`${server.url}/admin/experiments/home`, {headers: auth})
    expect(res.status).toBe(200)
    const body = (await res.json()) as {control: string; arms: {arm: string; impressions: number; vs_control: {ctr: {p_value: number}} | null}[]}
    expect(body.control).toBe('control')
    const treatment = body.arms.find((a) => a.arm === 'treatment')!
    expect(treatment.impressions).toBeGreaterThanOrEqual(MIN)
    expect(treatment.vs_control!.ctr.p_value).toBeLessThan(0.05)
    expect((await fetch(`${server.url}/admin/experiments/home`)).status).toBe(401)
  })
})
