// Training the ranker end to end on tiny data: it learns, writes a loadable checkpoint, scores consistently, repeats exactly.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {readCheckpointManifest} from '../../src/lib/checkpoint/checkpoint-io.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {initBackend} from '../../src/lib/engine/backend.js'
import {DenseAdam} from '../../src/lib/engine/dense-adam.js'
import {RankingConfigSchema} from '../../src/lib/models/ranker/config.js'
import {loadRanker} from '../../src/lib/models/ranker/load.js'
import {createRanker, disposeRanker} from '../../src/lib/models/ranker/model.js'
import {predictProbabilities} from '../../src/lib/models/ranker/predict.js'
import {createRankingScorer} from '../../src/lib/models/ranker/scorer.js'
import {Rng} from '../../src/lib/random/rng.js'
import {makeRankingBatch} from '../../src/lib/training/ranking/ranking-batches.js'
import {prepareRankingData} from '../../src/lib/training/ranking/ranking-data.js'
import {rankingStep} from '../../src/lib/training/ranking/ranking-step.js'
import {trainRanking} from '../../src/lib/training/ranking/train-ranking.js'
import {tempDir} from '../helpers/cli.js'
import {writeRatings, writeWorld} from './fixtures.js'

const config = (overrides: Record<string, unknown> = {}) => RankingConfigSchema.parse({epochs: 2, 'batch-size': 256, 'safety-epochs': 5, backend: 'wasm', ...overrides})

let dir: string
let world: string
let ratings: string

beforeAll(async () => {
  await initBackend('wasm')
  dir = tempDir('rec-ranking-')
  world = await writeWorld(dir)
  ratings = await writeRatings(dir)
})

describe('train ranking on a synthetic feed world', () => {
  let out: string
  let result: Awaited<ReturnType<typeof trainRanking>>

  beforeAll(async () => {
    out = join(dir, 'mlp')
    result = await trainRanking({dataset: world, out, config: config()})
  })

  it('trains every engagement head to beat chance on val and writes flat per-head metrics', async () => {
    expect(result.heads).toEqual(expect.arrayContaining(['click', 'like', 'dwell', 'negative']))
    expect(result.metrics['val.auc/click']).toBeGreaterThan(0.55)
    expect(result.metrics['val.rce/click']).toBeGreaterThan(0)
    for (const head of result.heads) {
      if (result.metrics[`val.auc/${head}`] === undefined) continue
      expect(result.metrics[`val.prauc/${head}`]).toBeGreaterThan(0)
      expect(Number.isFinite(result.metrics[`val.logloss/${head}`])).toBe(true)
    }
    const manifest = await readCheckpointManifest(out, 'ranking')
    expect(manifest.arch).toBe('mlp')
    expect(manifest.metrics).toEqual(result.metrics)
    expect(manifest.history.length).toBe(result.epochs.length)
    expect(result.crossFeatures).toEqual(['followed', 'author_engagements', 'topic_share', 'user_engagements', 'item_age_hours', 'item_engagements', 'item_engagements_24h'])
  })

  it('trains safety heads from the labelled items and reports precision at 90% recall', () => {
    for (const label of ['nsfw', 'toxic']) {
      expect(result.metrics[`val.safety.precision@recall0.9/${label}`]).toBeGreaterThan(0)
      expect(result.metrics[`val.safety.base-rate/${label}`]).toBeGreaterThan(0)
    }
  })

  it('loads against the dataset and scores a request as the training forward pass does', async () => {
    const dataset = await readDataset(world)
    const loaded = await loadRanker(out, dataset)
    const scorer = createRankingScorer(loaded)
    const items = Int32Array.from({length: 40}, (_, i) => 1 + i * 7)
    const ts = Date.UTC(2024, 0, 20)
    const fast = scorer.score({user: 3, items, ts})
    const reference = predictProbabilities(loaded.model, loaded.stats, {users: new Int32Array(items.length).fill(3), items, ts})
    for (let i = 0; i < reference.length; i++) expect(fast.probabilities[i]).toBeCloseTo(reference[i], 5)
    const h = scorer.heads.length
    for (let c = 0; c < items.length; c++) {
      let fused = 0
      for (let k = 0; k < h; k++) fused += scorer.fusion[k] * fast.probabilities[c * h + k]
      expect(fast.fused[c]).toBeCloseTo(fused, 5)
    }
    const byId = scorer.scoreIds({userId: loaded.inputs.users.id(3)!, itemIds: BigInt64Array.from(items, (i) => loaded.inputs.items.id(i)!), ts})
    expect(Array.from(byId.fused)).toEqual(Array.from(fast.fused))
    expect(scorer.safety(items).nsfw.length).toBe(items.length)
    expect(() => scorer.score({user: 3, items: Int32Array.of(1, 1e6), ts})).toThrow(/outside/)
    scorer.dispose()
  })

  it('gives byte-identical weights for the same seed', async () => {
    const again = join(dir, 'mlp-again')
    await trainRanking({dataset: world, out: again, config: config()})
    expect(readFileSync(join(again, 'weights.safetensors')).equals(readFileSync(join(out, 'weights.safetensors')))).toBe(true)
  })
})

describe('ranking training steps', () => {
  it('keep tf.memory().numTensors flat and lower the loss on a repeated batch', async () => {
    const dataset = await readDataset(world)
    const cfg = config()
    const data = prepareRankingData(dataset, world, cfg, new Rng(1))
    const model = createRanker(cfg, data.heads, {nUsers: data.inputs.users.size, nItems: data.inputs.items.size, user: data.inputs.userFeatures, item: data.inputs.itemFeatures}, {names: [], mean: [], std: []}, new Rng(2))
    const adam = new DenseAdam({learningRate: 0.01})
    const batch = makeRankingBatch(data.train, Int32Array.from({length: 256}, (_, i) => i), 0, 256)
    const losses = [rankingStep(model, data.stats, batch, adam)]
    const tensors = tf.memory().numTensors
    for (let s = 0; s < 15; s++) {
      losses.push(rankingStep(model, data.stats, batch, adam))
      expect(tf.memory().numTensors).toBe(tensors)
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.9)
    adam.dispose()
    disposeRanker(model)
  })
})

describe('other architectures, fusion and datasets', () => {
  it.each(['dlrm', 'dcn'] as const)('trains and scores %s', async (arch) => {
    const out = join(dir, arch)
    const result = await trainRanking({dataset: world, out, config: config({arch, epochs: 1, safety: false})})
    expect(result.metrics['val.auc/click']).toBeGreaterThan(0.5)
    const loaded = await loadRanker(out, await readDataset(world))
    const scorer = createRankingScorer(loaded)
    const items = Int32Array.of(1, 2, 3, 4)
    const reference = predictProbabilities(loaded.model, loaded.stats, {users: new Int32Array(4).fill(2), items, ts: Date.UTC(2024, 0, 20)})
    const scored = scorer.score({user: 2, items, ts: Date.UTC(2024, 0, 20)}).probabilities
    reference.forEach((p, i) => expect(Math.abs(scored[i] - p)).toBeLessThan(1e-5))
    scorer.dispose()
  })

  it('learns fusion weights on val and stores them in the checkpoint', async () => {
    const out = join(dir, 'learned')
    const result = await trainRanking({dataset: world, out, config: config({fusion: 'learned', epochs: 1, safety: false})})
    const configured = RankingConfigSchema.parse({})['fusion-weights']
    expect(result.heads.some((h) => Math.abs(result.fusion[h] - configured[h]) > 1e-3)).toBe(true)
    const loaded = await loadRanker(out, await readDataset(world))
    expect(Array.from(loaded.model.fusion)).toEqual(result.heads.map((h) => Math.fround(result.fusion[h])))
  })

  it('trains on a ratings log with sampled negatives and low ratings as negatives', async () => {
    const out = join(dir, 'ratings-ckpt')
    const result = await trainRanking({dataset: ratings, out, config: config({'negatives-per-positive': 3, 'positive-min-weight': 4, 'batch-size': 64, epochs: 3})})
    expect(result.heads).toEqual(['rating'])
    expect(result.labelling).toMatch(/below weight 4 as negatives, 3 sampled negatives per positive/)
    expect(result.metrics['val.auc/rating']).toBeGreaterThan(0.5)
    expect(result.crossFeatures).toEqual(['topic_share', 'user_engagements', 'item_engagements', 'item_engagements_24h'])
    // Scores add back log(k q(item)) of the sampler: the model's logit plus the item's offset.
    const loaded = await loadRanker(out, await readDataset(ratings))
    const scorer = createRankingScorer(loaded)
    const items = Int32Array.of(1, 5, 9)
    const ts = Date.UTC(2020, 6, 1)
    const raw = predictProbabilities(loaded.model, loaded.stats, {users: new Int32Array(3).fill(4), items, ts})
    const scored = scorer.score({user: 4, items, ts}).probabilities
    const logit = (p: number) => Math.log(p / (1 - p))
    items.forEach((item, k) => expect(logit(scored[k])).toBeCloseTo(logit(raw[k]) + loaded.model.logQ![item], 3))
    expect(new Set(Array.from(loaded.model.logQ!.subarray(1))).size).toBeGreaterThan(1)
    scorer.dispose()
  })

  it('refuses bad input before training', async () => {
    await expect(trainRanking({dataset: join(dir, 'missing'), out: join(dir, 'x'), config: config()})).rejects.toThrow(/does not exist/)
    await expect(trainRanking({dataset: world, out: join(dir, 'mlp'), config: config()})).rejects.toThrow(/already exists/)
    await expect(trainRanking({dataset: ratings, out: join(dir, 'y'), config: config({'negatives-per-positive': 0})})).rejects.toThrow(/nothing to learn/)
  })
})
