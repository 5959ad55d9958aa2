// A retrieval checkpoint initialises the ranker's id embeddings (matched by id); one fitted before the train split supplies retrieval_score.
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadCheckpoint, saveCheckpoint} from '../../src/lib/checkpoint/checkpoint-io.js'
import {CHECKPOINT_FORMAT} from '../../src/lib/checkpoint/manifest.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {initBackend} from '../../src/lib/engine/backend.js'
import {runEval} from '../../src/lib/eval/run-eval.js'
import {IdVocab, vocabFingerprint} from '../../src/lib/features/vocab.js'
import {RankingConfigSchema} from '../../src/lib/models/ranker/config.js'
import {loadRanker} from '../../src/lib/models/ranker/load.js'
import {createRanker, disposeRanker} from '../../src/lib/models/ranker/model.js'
import {createRankingScorer} from '../../src/lib/models/ranker/scorer.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {fitInputs} from '../../src/lib/models/two-tower/inputs.js'
import {Rng} from '../../src/lib/random/rng.js'
import {initFromRetrieval} from '../../src/lib/training/ranking/init-from-retrieval.js'
import {trainRanking} from '../../src/lib/training/ranking/train-ranking.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {tempDir} from '../helpers/cli.js'
import {writeTimeWindow, writeWorld} from './fixtures.js'

let dir: string
let world: string

beforeAll(async () => {
  await initBackend('wasm')
  dir = tempDir('rec-ranking-retrieval-')
  world = await writeWorld(dir, {users: 80, items: 300, interactions: 6000})
})

/** A retrieval checkpoint over users [known..., unknown] in its own row order: row of id k holds [k, -k, ...]. */
async function fakeRetrieval(out: string, userIds: bigint[], itemIds: bigint[], dim: number): Promise<string> {
  const users = IdVocab.fromValues(BigInt64Array.from(userIds))
  const items = IdVocab.fromValues(BigInt64Array.from(itemIds))
  const table = (vocab: IdVocab) => {
    const data = new Float32Array(vocab.size * dim)
    for (let r = 1; r < vocab.size; r++) for (let j = 0; j < dim; j++) data[r * dim + j] = Number(vocab.id(r)!) * (j % 2 ? -1 : 1)
    return {dtype: 'F32' as const, shape: [vocab.size, dim], data}
  }
  await saveCheckpoint(out, {
    manifest: {
      format: CHECKPOINT_FORMAT, kind: 'retrieval', arch: 'two-tower/mean', config: {dim}, backend: 'cpu', dataset: {path: '', name: 'x', fingerprint: 'x'},
      vocabFingerprint: vocabFingerprint({users, items}, {}), metrics: {}, history: [], bestEpoch: 1, seed: 1, parents: [], recVersion: '0', createdAt: '2024-01-01T00:00:00.000Z',
    },
    tensors: new Map([['user_id.embedding', table(users)], ['item_id.embedding', table(items)]]),
    vocabs: {ids: {users, items}, categories: {}},
  })
  return out
}

describe('init from retrieval', () => {
  it('copies rows by id, leaving ids the retrieval model lacks and the OOV row alone', async () => {
    const dataset = await readDataset(world)
    const inputs = fitInputs(dataset)
    const known = Array.from(inputs.users.ids.slice(0, 10))
    const source = await fakeRetrieval(join(dir, 'fake'), [...known, 999_999n], Array.from(inputs.items.ids), 16)
    const config = RankingConfigSchema.parse({dim: 16})
    const model = createRanker(config, [{name: 'click', events: ['click']}], {nUsers: inputs.users.size, nItems: inputs.items.size, user: inputs.userFeatures, item: inputs.itemFeatures}, {names: [], mean: [], std: []}, new Rng(1))
    const before = model.slots[0].table.weights.slice()
    const report = await initFromRetrieval(model, source, inputs)
    expect(report.tables['user_id.embedding']).toEqual({copied: 10, rows: inputs.users.size - 1})
    expect(report.tables['item_id.embedding'].copied).toBe(inputs.items.size - 1)
    const weights = model.slots[0].table.weights
    const row5 = inputs.users.row(known[5])
    expect(Array.from(weights.subarray(row5 * 16, row5 * 16 + 2))).toEqual([Number(known[5]), -Number(known[5])])
    const untouched = inputs.users.row(inputs.users.ids[20])
    expect(Array.from(weights.subarray(untouched * 16, untouched * 16 + 16))).toEqual(Array.from(before.subarray(untouched * 16, untouched * 16 + 16)))
    expect(Array.from(weights.subarray(0, 16))).toEqual(Array.from(before.subarray(0, 16)))
    disposeRanker(model)
  })

  it('refuses a retrieval checkpoint of another dimension before training', async () => {
    const source = await fakeRetrieval(join(dir, 'fake8'), [1n], [1n], 8)
    await expect(trainRanking({dataset: world, out: join(dir, 'never'), config: RankingConfigSchema.parse({dim: 16, 'init-from-retrieval': source})})).rejects.toMatchObject({
      message: expect.stringMatching(/dim 8, the ranker's dim is 16/),
      hint: 'pass --dim 8',
    })
  })

  it('copies embeddings only: --init-from-retrieval adds no retrieval score feature', async () => {
    const retrieval = join(dir, 'retrieval-all')
    await trainRetrieval({dataset: world, out: retrieval, config: retrievalConfig})
    const out = join(dir, 'ranker-init')
    const result = await trainRanking({dataset: world, out, config: RankingConfigSchema.parse({dim: 16, epochs: 1, 'batch-size': 256, safety: false, 'init-from-retrieval': retrieval})})
    expect(result.crossFeatures).not.toContain('retrieval_score')
    expect((await loadCheckpoint(out)).manifest.parents).toEqual([{path: retrieval, weight: 1}])
  })
})

const retrievalConfig = RetrievalConfigSchema.parse({dim: 16, epochs: 1, 'batch-size': 128, ks: [10], backend: 'wasm'})

describe('retrieval score feature', () => {
  let early: string
  let late: string
  let earlyRetrieval: string
  let lateRetrieval: string

  beforeAll(async () => {
    early = await writeTimeWindow(world, join(dir, 'early'), 0, 0.5)
    late = await writeTimeWindow(world, join(dir, 'late'), 0.5, 1)
    earlyRetrieval = join(dir, 'retrieval-early')
    await trainRetrieval({dataset: early, out: earlyRetrieval, config: retrievalConfig})
    lateRetrieval = join(dir, 'retrieval-late')
    await trainRetrieval({dataset: late, out: lateRetrieval, config: retrievalConfig})
  })

  const rankingConfig = (retrieval: string) => RankingConfigSchema.parse({dim: 16, epochs: 1, 'batch-size': 256, safety: false, retrieval})

  it('refuses a retrieval checkpoint trained on the ranker\'s own dataset, or on data overlapping its train split', async () => {
    await expect(trainRanking({dataset: late, out: join(dir, 'never'), config: rankingConfig(lateRetrieval)})).rejects.toMatchObject({code: 'INVALID_ARGUMENT', message: expect.stringMatching(/was trained on .* itself/)})
    // The early window ends inside the full log's train split.
    await expect(trainRanking({dataset: world, out: join(dir, 'never'), config: rankingConfig(earlyRetrieval)})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/fitted on interactions up to .*, after .* train split starts/),
      hint: expect.stringMatching(/earlier snapshot/),
    })
  })

  it('trains with the score of a retrieval model fitted before the train split, and needs it when scoring', async () => {
    const out = join(dir, 'ranker')
    const result = await trainRanking({dataset: late, out, config: rankingConfig(earlyRetrieval)})
    expect(result.crossFeatures.at(-1)).toBe('retrieval_score')
    const scorer = createRankingScorer(await loadRanker(out, await readDataset(late)))
    expect(scorer.needsRetrievalScore).toBe(true)
    expect(() => scorer.score({user: 1, items: Int32Array.of(1, 2), ts: Date.UTC(2024, 0, 10)})).toThrow(/pass one retrieval score per candidate/)
    expect(scorer.score({user: 1, items: Int32Array.of(1, 2), ts: Date.UTC(2024, 0, 10), retrieval: Float32Array.of(0.2, 0.1)}).fused).toHaveLength(2)
    scorer.dispose()
    // rec eval's ranker stage: retrieval's top 50 per test user, re-ordered by the ranker fed that retrieval's scores.
    const report = await runEval({dataset: late, models: [{kind: 'checkpoint', path: lateRetrieval}], split: 'test', ks: [10, 50], protocol: {kind: 'full'}, ranker: {path: out, candidates: 50}, resamples: 100})
    expect(report.ranker!.retrievalScore).toBe(earlyRetrieval)
    expect(report.protocol.usersEvaluated).toBeGreaterThan(10)
    const [parent, stage] = report.models
    expect(stage).toMatchObject({kind: 'stage', parent: parent.key})
    const {candidateRecall, delta} = stage.stage!
    expect(candidateRecall).toBeGreaterThan(0)
    // Recall@50 over the same 50 candidates cannot depend on their order: the stage returns exactly them.
    expect(report.metrics[stage.key]['recall@50']).toBeCloseTo(candidateRecall!, 6)
    expect(delta['ndcg@10'].meanA).toBeCloseTo(report.metrics[parent.key]['ndcg@10'], 6)
    expect(delta['ndcg@10'].meanB).toBeCloseTo(report.metrics[stage.key]['ndcg@10'], 6)
  })

  it('refuses a retrieval checkpoint whose training dataset cannot be read', async () => {
    const orphan = await fakeRetrieval(join(dir, 'fake-orphan'), [1n], [1n], 16)
    await expect(trainRanking({dataset: late, out: join(dir, 'never'), config: rankingConfig(orphan)})).rejects.toMatchObject({code: 'NOT_FOUND', message: expect.stringMatching(/is not readable/)})
  })
})
