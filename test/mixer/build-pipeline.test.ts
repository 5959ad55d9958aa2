import {beforeAll, describe, expect, it} from 'vitest'

import {getColumn} from '../../src/lib/dataset/columns.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {IdVocab} from '../../src/lib/features/vocab.js'
import {buildIndex} from '../../src/lib/index/build-index.js'
import {buildHomePipeline, buildSideEffects, type PipelineParts} from '../../src/lib/mixer/build-pipeline.js'
import {type MixerConfig, MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {lookup} from '../../src/lib/mixer/registry.js'
import {buildWorld} from '../../src/lib/mixer/world.js'
import {Metrics} from '../../src/lib/serving/metrics.js'
import {tempDir} from '../helpers/cli.js'
import {writeWorld} from '../serving/world-fixture.js'

const DIM = 4

describe('buildHomePipeline', () => {
  let parts: PipelineParts
  const build = (config: unknown) => buildHomePipeline(MixerConfigSchema.parse(config), parts)
  const ids = (list: {id: string}[]) => list.map((c) => c.id)
  beforeAll(async () => {
    const dataset = await readDataset(await writeWorld(tempDir()))
    const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
    const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
    const vectors = new Float32Array(items.size * DIM)
    for (let row = 1; row < items.size; row++) vectors[row * DIM + (row % DIM)] = 1
    const world = buildWorld(dataset, users, items, vectors)
    const index = (await buildIndex(vectors.slice(DIM), items.ids, {exact: true, normalize: false})).index
    parts = {world, index, indexToRow: items.rows(index.ids)}
  })

  it('builds the declared components in the declared order', () => {
    const pipeline = build({sources: [{id: 'Popular', quota: 9}, {id: 'Graph', quota: 4}], filters: ['Safety', 'PreviouslySeen'], selectors: ['Take', {id: 'AuthorCap', params: {max: 1}}]})
    expect(pipeline.sources.map(({source, quota}) => [source.id, quota])).toEqual([['Popular', 9], ['Graph', 4]])
    expect(ids(pipeline.filters)).toEqual(['Safety', 'PreviouslySeen'])
    expect(ids(pipeline.selectors)).toEqual(['Take', 'AuthorCap'])
    expect(ids(pipeline.scorers)).toEqual(['RetrievalCosine'])
  })

  it('a component that is off is absent, with the reason in skipped', () => {
    const pipeline = build({
      sources: [{id: 'Popular', quota: 0}, {id: 'Graph', quota: 5}],
      filters: ['PreviouslySeen', {id: 'Safety', params: {thresholds: {}}}],
      selectors: [{id: 'Mmr', params: {lambda: 1}}, {id: 'Exploration', params: {rate: 0}}, 'Take'],
    })
    expect(pipeline.sources.map(({source}) => source.id)).toEqual(['Graph'])
    expect(ids(pipeline.filters)).toEqual(['PreviouslySeen'])
    expect(ids(pipeline.selectors)).toEqual(['Take'])
    expect(pipeline.skipped).toEqual([
      {id: 'Popular', reason: 'quota 0'},
      {id: 'HeavyRanker', reason: 'no ranking checkpoint (--ranking)'},
      {id: 'Safety', reason: 'no thresholds'},
      {id: 'Mmr', reason: 'lambda 1: the score order'},
      {id: 'Exploration', reason: 'rate 0'},
    ])
  })

  it('components whose data the world lacks are absent', () => {
    const bare = {...parts, world: {...parts.world, follows: undefined, authorCode: undefined, topic: undefined, topicNames: []}}
    const pipeline = buildHomePipeline(MixerConfigSchema.parse({}), bare)
    expect(pipeline.sources.map(({source}) => source.id)).toEqual(['OutOfNetwork', 'Graph', 'Popular'])
    expect(ids(pipeline.selectors)).toEqual(['Mmr', 'NetworkBalance', 'Exploration', 'Take'])
    expect(ids(pipeline.skipped)).toEqual(['InNetwork', 'Community', 'HeavyRanker', 'AuthorCap', 'TopicCap'])
  })

  it('the scorer is the first available one; none available is an error, not a fallback', () => {
    expect(() => build({scorer: ['HeavyRanker']})).toThrow(/no declared scorer is available: HeavyRanker \(no ranking checkpoint \(--ranking\)\)/)
    expect(ids(build({scorer: ['RetrievalCosine', 'HeavyRanker']}).scorers)).toEqual(['RetrievalCosine'])
  })

  it('a config that did not come through the schema cannot name an unknown component', () => {
    const config = MixerConfigSchema.parse({})
    const forged: MixerConfig = {...config, selectors: [...config.selectors, {id: 'Shuffle', params: {}}]}
    expect(() => buildHomePipeline(forged, parts)).toThrow(/unknown selector "Shuffle" \(known: AuthorCap, TopicCap, Mmr, NetworkBalance, Exploration, Take\)/)
    expect(() => lookup('filter', 'Nope')).toThrow(/unknown filter "Nope"/)
  })

  it('side effects are built with the counters they write to', async () => {
    const metrics = new Metrics()
    const [served] = buildSideEffects(MixerConfigSchema.parse({}), {counters: metrics})
    expect(served.id).toBe('ServedItems')
    await served.apply({userId: 1n, requestId: '00000000-0000-4000-8000-000000000001', versions: {}, ts: 1, rows: Int32Array.of(3, 4, 5), sources: ['Graph', 'Popular', 'Graph']})
    expect(metrics.render()).toContain('rec_served_items_total{source="Graph"} 2\nrec_served_items_total{source="Popular"} 1\n')
    expect(buildSideEffects(MixerConfigSchema.parse({'side-effects': []}), {counters: metrics})).toEqual([])
  })
})
