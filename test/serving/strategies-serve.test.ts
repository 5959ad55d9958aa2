// Strategies and the strategy bandit through a real `rec serve` on loopback: ?strategy=, auto, /admin/bandit, restarts, and the 400s.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeAll, describe, expect, it} from 'vitest'

import {ContentConfigSchema} from '../../src/lib/models/content/config.js'
import {trainContent} from '../../src/lib/training/train-content.js'
import {tempDir} from '../helpers/cli.js'
import {type ServerProcess, spawnServer} from './spawn-server.js'
import {itemId, trainWorld, type Trained, userId} from './world-fixture.js'

interface Feed {
  request_id: string
  strategy: string
  strategy_probability?: number
  served_from: string
  items: {item_id: string; source: string; reason: string}[]
}

const AUTH = {authorization: 'Bearer secret'}

describe('rec serve: strategies and the bandit (child process)', () => {
  let trained: Trained
  let content: string
  let dir: string
  const running: ServerProcess[] = []
  beforeAll(async () => {
    dir = tempDir()
    trained = await trainWorld(dir)
    content = join(dir, 'content')
    // the fixture's items have topics and authors only: those are the terms
    await trainContent({dataset: trained.dataset, out: content, config: ContentConfigSchema.parse({'text-columns': ['topic'], 'token-columns': ['topic', 'author_id'], 'min-df': 1, 'max-df': 1})})
  })
  afterEach(async () => {
    for (const server of running.splice(0)) {
      server.child.kill('SIGTERM')
      await server.exited
    }
  })

  const start = async (args: string[]) => {
    const server = await spawnServer(['--retrieval', trained.ckpt, '--index', trained.index, '--dataset', trained.dataset, '--workers', '1', ...args], {REC_API_TOKENS: 'secret'})
    running.push(server)
    return server
  }
  const stop = async (server: ServerProcess) => {
    running.splice(running.indexOf(server), 1)
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  }
  const get = async (server: ServerProcess, path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${path}`, {headers})
    return {status: res.status, body: (await res.json()) as Record<string, unknown>}
  }
  const feed = async (server: ServerProcess, user: number, query = '', k = 5) => {
    const {status, body} = await get(server, `/v1/recommendations?user_id=${userId(user)}&k=${k}${query}`)
    expect(status, JSON.stringify(body)).toBe(200)
    return body as unknown as Feed
  }
  /** The bandit's choices for one fixed sequence of requests. */
  const autoSequence = async (server: ServerProcess) => {
    const out: [string, number][] = []
    for (let i = 0; i < 24; i++) {
      const f = await feed(server, i % 20, '&strategy=auto')
      out.push([f.strategy, f.strategy_probability!])
    }
    return out
  }

  it('serves each named strategy as its own feed, refuses unknown ones with 400, and finds similar items by content', async () => {
    const server = await start(['--content', content])
    const mixer = await feed(server, 3)
    expect(mixer.strategy).toBe('mixer')
    expect(mixer.strategy_probability).toBeUndefined()
    expect(Object.keys(mixer)).toEqual(['user_id', 'known_user', 'request_id', 'versions', 'strategy', 'served_from', 'items'])
    const bySource: Record<string, string> = {two_tower: 'OutOfNetwork', popularity: 'Popular', content: 'Content'}
    for (const [strategy, source] of Object.entries(bySource)) {
      const f = await feed(server, 3, `&strategy=${strategy}`)
      expect(f.strategy).toBe(strategy)
      expect(f.items.length, strategy).toBe(5)
      for (const item of f.items) expect(item.source, strategy).toBe(source)
    }
    const byContent = await feed(server, 3, '&strategy=content')
    expect(byContent.items[0].reason).toMatch(/^matches your interest in (#\w+|"\w+")$/)
    const hybrid = await feed(server, 3, '&strategy=hybrid&explain=true')
    expect(hybrid.strategy).toBe('hybrid')
    expect(new Set(hybrid.items.map((item) => item.source)).size).toBeGreaterThan(0)
    for (const item of hybrid.items as unknown as {scores: Record<string, number>}[]) expect(Object.keys(item.scores).sort()).toEqual(['content', 'final', 'popularity', 'two_tower'])
    // a user's seen items are filtered in every strategy
    for (const strategy of ['popularity', 'content', 'hybrid', 'two_tower']) {
      const seen = new Set((await feed(server, 4, `&strategy=${strategy}`, 20)).items.map((item) => item.item_id))
      const again = await fetch(`${server.url}/v1/interactions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user_id: String(userId(4)), item_id: [...seen][0], event: 'hide'})})
      expect(again.status).toBe(201)
      expect((await feed(server, 4, `&strategy=${strategy}`, 20)).items.map((item) => item.item_id)).not.toContain([...seen][0])
    }

    const unknown = await get(server, `/v1/recommendations?user_id=${userId(3)}&strategy=nope`)
    expect(unknown.status).toBe(400)
    expect(Object.keys(unknown.body)).toEqual(['error', 'message'])
    expect(unknown.body).toMatchObject({error: 'INVALID_ARGUMENT', message: expect.stringMatching(/unknown strategy "nope" \(strategies: mixer, two_tower, popularity, content, hybrid, auto\)/)})

    const similar = await get(server, `/v1/items/${itemId(3)}/similar?by=content&k=4`)
    expect(similar.status).toBe(200)
    const items = similar.body.items as {item_id: string; source: string; score: number}[]
    expect(items).toHaveLength(4)
    for (const item of items) expect(item).toMatchObject({source: 'ContentSimilarity', score: expect.any(Number)})
    expect(items.map((item) => item.item_id)).not.toContain(String(itemId(3)))
    expect((await get(server, `/v1/items/${itemId(3)}/similar?by=words`)).status).toBe(400)
  })

  it('strategy=auto: the bandit chooses with a probability, learns from attributed likes, keeps its counts across a restart, and a seed fixes its choices', async () => {
    const state = join(dir, 'state-auto')
    const first = await start(['--content', content, '--state', state, '--seed', '5'])
    const choices = await autoSequence(first)
    const arms = ['mixer', 'two_tower', 'popularity', 'content', 'hybrid']
    for (const [strategy, p] of choices) {
      expect(arms).toContain(strategy)
      expect(p).toBeGreaterThan(0)
      expect(p).toBeLessThanOrEqual(1)
    }
    // like the first item of every content feed the bandit serves: content's mean reward rises above the others'
    for (let i = 0; i < 30; i++) {
      const f = await feed(first, 20 + (i % 20), '&strategy=auto')
      if (f.strategy !== 'content') continue
      const res = await fetch(`${first.url}/v1/interactions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user_id: String(userId(20 + (i % 20))), item_id: f.items[0].item_id, event: 'like', request_id: f.request_id})})
      expect(res.status).toBe(201)
    }
    expect((await get(first, '/admin/bandit')).status).toBe(401)
    const admin = await get(first, '/admin/bandit', AUTH)
    expect(admin.status).toBe(200)
    const summary = admin.body as {algorithm: string; pulls: number; arms: {arm: string; pulls: number; mean_reward: number; interval: [number, number]}[]}
    expect(summary.algorithm).toBe('thompson')
    expect(summary.pulls).toBe(54)
    expect(summary.arms.map((a) => a.arm)).toEqual(arms)
    const contentArm = summary.arms.find((a) => a.arm === 'content')!
    expect(contentArm.pulls).toBeGreaterThan(0)
    expect(contentArm.mean_reward).toBeGreaterThan(0)
    for (const a of summary.arms) {
      expect(a.interval[0]).toBeLessThanOrEqual(a.mean_reward)
      expect(a.interval[1]).toBeGreaterThanOrEqual(a.mean_reward)
      if (a.arm !== 'content') expect(a.mean_reward).toBe(0)
    }
    await stop(first)

    // restart on the same state: the counts are read back
    const again = await start(['--content', content, '--state', state, '--seed', '5'])
    expect((await get(again, '/admin/bandit', AUTH)).body.arms).toEqual(summary.arms)
    await stop(again)

    // a fresh state and the same seed: the same choices for the same request sequence
    const twin = await start(['--content', content, '--state', join(dir, 'state-twin'), '--seed', '5'])
    expect(await autoSequence(twin)).toEqual(choices)
  })

  it('without --content the content strategy is unavailable (400, not among the arms), and auto can be the default', async () => {
    const config = join(dir, 'auto.yaml')
    writeFileSync(config, 'strategy: auto\nbandit: {algorithm: epsilon-greedy, epsilon: 0.5}\n')
    const server = await start(['--config', config])
    const refused = await get(server, `/v1/recommendations?user_id=${userId(1)}&strategy=content`)
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({error: 'INVALID_ARGUMENT', message: expect.stringMatching(/strategy "content" is unavailable on this server: no source: Content \(no content checkpoint \(--content\)\)/)})
    for (let i = 0; i < 10; i++) {
      const f = await feed(server, i)
      expect(['mixer', 'two_tower', 'popularity', 'hybrid']).toContain(f.strategy)
      expect(f.strategy_probability).toBeGreaterThan(0)
    }
    const summary = (await get(server, '/admin/bandit', AUTH)).body as {algorithm: string; default_strategy: string; arms: {arm: string}[]}
    expect(summary).toMatchObject({algorithm: 'epsilon-greedy', default_strategy: 'auto'})
    expect(summary.arms.map((a) => a.arm)).toEqual(['mixer', 'two_tower', 'popularity', 'hybrid'])
    expect((await get(server, `/v1/items/${itemId(3)}/similar?by=content`)).status).toBe(400)
  })
})
