import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {eventCode} from '../../src/lib/dataset/event-codes.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {applyOverrides} from '../../src/lib/mixer/overrides.js'
import {buildServingEngine, type ServingEngine, type ServingEngineSources, loadServingEngine} from '../../src/lib/serving/serving-engine.js'
import {type FeedItem, type FeedQuery, type FeedRun, runFeed} from '../../src/lib/serving/feed-run.js'
import {PipelinePool} from '../../src/lib/serving/pipeline-pool.js'
import {type Feed, Recommender} from '../../src/lib/serving/recommender.js'
import {tempDir} from '../helpers/cli.js'
import {itemId, N_USERS, trainWorld, userId} from './world-fixture.js'

const config = applyOverrides(MixerConfigSchema.parse({}), {'exploration-rate': 0.5})

/** Stage timings differ run to run; everything else must not. */
const items = (run: FeedRun) => JSON.parse(run.itemsJson) as FeedItem[]
const timeless = (run: FeedRun) => ({...run, stages: run.stages.map((s) => ({...s, ms: 0, ...(s.waitMs === undefined ? {} : {waitMs: 0})}))})

describe('pipeline pool', () => {
  let sources: ServingEngineSources
  let engine: ServingEngine
  let pool: PipelinePool
  const query = (user: number, k = 10): FeedQuery => {
    const row = engine.world.users.row(userId(user))
    const {offsets, items} = engine.world.history
    const history = items.slice(offsets[row], offsets[row + 1])
    const dim = engine.world.dim
    return {userId: userId(user), userRow: row, k, explain: true, now: engine.world.clock, seen: history, history, userVector: engine.userVectors.slice(row * dim, (row + 1) * dim), seed: user, served: true}
  }
  beforeAll(async () => {
    const trained = await trainWorld(tempDir())
    sources = {retrieval: trained.ckpt, index: trained.index, dataset: trained.dataset}
    engine = await loadServingEngine(sources, config, {dataset: await readDataset(trained.dataset), generation: 1})
    pool = new PipelinePool(2)
    await pool.load(1, {models: 1, sources, config})
  })
  afterAll(async () => {
    await pool.close()
  })

  it('gives every user the same run as the calling thread', async () => {
    expect(pool.size).toBe(2)
    const users = Array.from({length: N_USERS}, (_, u) => u)
    const inWorkers = await Promise.all(users.map((u) => pool.run(1, engine.pipeline, query(u))))
    for (const u of users) expect(timeless(inWorkers[u])).toEqual(timeless(await runFeed(engine.pipeline, query(u))))
    expect(inWorkers.some((run) => items(run).some((item) => item.source.endsWith('+Explore')))).toBe(true)
    // what the side effects on the HTTP thread get: the feed's rows and sources
    for (const run of inWorkers) {
      expect(Array.from(run.served!.rows, (row) => String(engine.world.items.id(row)))).toEqual(items(run).map((item) => item.item_id))
      expect(run.served!.sources).toEqual(items(run).map((item) => item.source))
    }
  })

  it("the history's events cross to the workers: reasons name them as on the calling thread", async () => {
    const withEvents = (u: number): FeedQuery => {
      const q = query(u)
      return {...q, historyEvents: Uint8Array.from(q.history, (_, h) => eventCode(h % 2 ? 'click' : 'share'))}
    }
    const users = Array.from({length: N_USERS}, (_, u) => u)
    const inWorkers = await Promise.all(users.map((u) => pool.run(1, engine.pipeline, withEvents(u))))
    for (const u of users) expect(timeless(inWorkers[u])).toEqual(timeless(await runFeed(engine.pipeline, withEvents(u))))
    const reasons = inWorkers.flatMap((run) => items(run).map((item) => item.reason))
    expect(reasons.some((r) => r.endsWith(' you clicked'))).toBe(true)
    expect(reasons.some((r) => r.endsWith(' you shared'))).toBe(true)
    expect(reasons.some((r) => r.endsWith(' you liked'))).toBe(false)
  })

  it('keeps at most two runs in each worker and queues the rest in arrival order', async () => {
    const users = Array.from({length: 12}, (_, u) => u % N_USERS)
    const running = users.map((u) => pool.run(1, engine.pipeline, query(u)))
    expect(pool.waiting).toBe(12 - 2 * pool.size)
    const runs = await Promise.all(running)
    expect(pool.waiting).toBe(0)
    for (const [i, u] of users.entries()) expect(timeless(runs[i])).toEqual(timeless(await runFeed(engine.pipeline, query(u))))
  })

  it('runs a generation no worker holds on the calling thread, and frees a retired one', async () => {
    const unknown = {...query(3), userId: 999_999n, userRow: 0, seen: new Int32Array(0), history: new Int32Array(0)}
    expect(timeless(await pool.run(7, engine.pipeline, unknown))).toEqual(timeless(await runFeed(engine.pipeline, unknown)))
    await pool.load(2, {models: 2, sources, config})
    const running = pool.run(1, engine.pipeline, query(4))
    pool.retire(1)
    // the run sent before the retirement still finishes on generation 1 in its worker
    expect(items(await running)).toHaveLength(10)
    expect(timeless(await pool.run(2, engine.pipeline, query(4)))).toEqual(timeless(await runFeed(engine.pipeline, query(4))))
  })

  it('a worker that dies fails only its own runs; the queued ones still finish', async () => {
    const single = new PipelinePool(1)
    try {
      await single.load(1, {models: 1, sources, config})
      const runs = [0, 1, 2, 3, 4].map((u) => single.run(1, engine.pipeline, query(u)).then(items, (error: Error) => error.message))
      expect(single.waiting).toBe(3)
      await single['pool'].workers[0].worker.terminate()
      const settled = await Promise.all(runs)
      expect(settled.slice(0, 2)).toEqual(['a pipeline worker exited with code 1', 'a pipeline worker exited with code 1'])
      for (const [i, u] of [2, 3, 4].entries()) expect(settled[2 + i]).toEqual(items(await runFeed(engine.pipeline, query(u))))
      expect(single.size).toBe(0)
    } finally {
      await single.close()
    }
  })

  it('a load that fails in the workers rejects with the library error', async () => {
    await expect(pool.load(3, {models: 3, sources: {...sources, retrieval: `${sources.retrieval}-missing`}, config})).rejects.toMatchObject({code: 'NOT_FOUND'})
  })

  it('generations on the same models id share them and run with their own mixer config; dropping one leaves the other', async () => {
    // an experiment's arms: one model set, two pipelines (Mmr lambda 0.7 as declared, and 0.2)
    const other = applyOverrides(config, {'mmr-lambda': 0.2})
    const arm = buildServingEngine(engine, other, 11)
    await Promise.all([pool.load(10, {models: 10, sources, config}), pool.load(11, {models: 10, sources, config: other})])
    const users = [0, 1, 2, 3, 4, 5]
    const runs = await Promise.all(users.flatMap((u) => [pool.run(10, engine.pipeline, query(u)), pool.run(11, arm.pipeline, query(u))]))
    for (const [i, u] of users.entries()) {
      expect(timeless(runs[2 * i])).toEqual(timeless(await runFeed(engine.pipeline, query(u))))
      expect(timeless(runs[2 * i + 1])).toEqual(timeless(await runFeed(arm.pipeline, query(u))))
    }
    expect(users.some((u, i) => runs[2 * i].itemsJson !== runs[2 * i + 1].itemsJson)).toBe(true)
    pool.retire(10)
    expect(timeless(await pool.run(11, arm.pipeline, query(3)))).toEqual(timeless(await runFeed(arm.pipeline, query(3))))
    pool.retire(11)
  })

  it('a recommender on the pool sees its own interactions at once', async () => {
    const recommender = new Recommender({...engine, generation: 2}, config, undefined, 'private', pool)
    const before = JSON.parse(await recommender.recommend(userId(5), {k: 5})) as Feed
    const liked = BigInt(before.items[0].item_id)
    await recommender.interact([{userId: userId(5), itemId: liked, event: 'like', ts: 1}, {userId: userId(5), itemId: itemId(1), event: 'hide', ts: 2}])
    const after = JSON.parse(await recommender.recommend(userId(5), {k: 5})) as Feed
    expect(after.items.map((i) => i.item_id)).not.toContain(String(liked))
  })
})
