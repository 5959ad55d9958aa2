import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {RankingConfigSchema} from '../../src/lib/models/ranker/config.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {type ServingEngine, loadServingEngine} from '../../src/lib/serving/serving-engine.js'
import {PipelinePool} from '../../src/lib/serving/pipeline-pool.js'
import {type Feed, Recommender} from '../../src/lib/serving/recommender.js'
import {trainRanking} from '../../src/lib/training/ranking/train-ranking.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {tempDir} from '../helpers/cli.js'
import {writeWorld} from '../ranking/fixtures.js'

describe('serving a gen-data world with the heavy ranker (--ranking)', () => {
  let engine: ServingEngine
  beforeAll(async () => {
    const dir = tempDir()
    const dataset = await writeWorld(dir)
    const retrieval = join(dir, 'retrieval')
    await trainRetrieval({dataset, out: retrieval, config: RetrievalConfigSchema.parse({dim: 8, epochs: 1, 'batch-size': 256, ks: [5], backend: 'wasm'})})
    const ranking = join(dir, 'ranking')
    await trainRanking({dataset, out: ranking, config: RankingConfigSchema.parse({dim: 8, epochs: 1, 'batch-size': 256, 'safety-epochs': 2, backend: 'wasm'})})
    engine = await loadServingEngine({retrieval, dataset, ranking}, MixerConfigSchema.parse({}), {dataset: await readDataset(dataset)})
  })

  it('scores with the ranker heads, draws in-network candidates from follows, and reports the ranking version', async () => {
    expect(engine.versions.ranking).toContain('ranking@')
    expect(engine.pipeline.scorers.map((s) => s.id)).toEqual(['HeavyRanker'])
    expect(engine.pipeline.skipped).toEqual([])
    const recommender = new Recommender(engine, MixerConfigSchema.parse({}), undefined, 'private')
    const user = engine.world.users.id(5)!
    const feed = JSON.parse(await recommender.recommend(user, {k: 10, explain: true, debug: true})) as Feed
    expect(feed.items).toHaveLength(10)
    for (const item of feed.items) {
      expect(Object.keys(item.scores!)).toEqual(expect.arrayContaining(['cosine', 'final']))
      expect(Object.keys(item.scores!).length).toBeGreaterThan(2) // head probabilities
    }
    expect(feed.debug!.per_source.InNetwork).toBeGreaterThan(0)
    expect(feed.debug!.stages.find((s) => s.id === 'HeavyRanker')?.out).toBeGreaterThan(0)
  })

  it('a pipeline worker loads the ranker too and gives the same feed', async () => {
    const config = MixerConfigSchema.parse({})
    const pool = new PipelinePool(1)
    try {
      await pool.load(1, {models: engine.id, sources: engine.sources, config})
      const user = engine.world.users.id(7)!
      const inThread = await new Recommender(engine, config, undefined, 'private').recommend(user, {k: 10, explain: true})
      const inWorker = await new Recommender({...engine, generation: 1}, config, undefined, 'private', pool).recommend(user, {k: 10, explain: true})
      // the same feed but for its random request_id
      expect(inWorker.replace(/"request_id":"[^"]+"/, '')).toEqual(inThread.replace(/"request_id":"[^"]+"/, ''))
      expect(Object.keys((JSON.parse(inWorker) as Feed).items[0].scores!).length).toBeGreaterThan(2)
    } finally {
      await pool.close()
    }
  })
})
