// The transformer encoder trained on every position: windows, batches, flat memory, determinism, quality on planted data.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {DenseAdam} from '../../src/lib/engine/dense-adam.js'
import {initBackend} from '../../src/lib/engine/backend.js'
import {PAD} from '../../src/lib/engine/mean-pool.js'
import {buildHistory, type UserHistory} from '../../src/lib/features/history.js'
import {buildRankingTask} from '../../src/lib/features/holdout.js'
import {selectPositives} from '../../src/lib/features/positives.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {evaluateTwoTower} from '../../src/lib/models/two-tower/evaluate.js'
import {fitInputs} from '../../src/lib/models/two-tower/inputs.js'
import {loadTwoTower} from '../../src/lib/models/two-tower/load.js'
import {createTwoTower} from '../../src/lib/models/two-tower/model.js'
import {Rng} from '../../src/lib/random/rng.js'
import {epochOrder} from '../../src/lib/training/retrieval-batches.js'
import {makeSequenceBatch, type SequencePlan, targetDistribution} from '../../src/lib/training/sequence-batches.js'
import {sequenceStep} from '../../src/lib/training/sequence-step.js'
import {buildSequenceWindows} from '../../src/lib/training/sequence-windows.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {tempDir} from '../helpers/cli.js'
import {writeTinyDataset} from '../helpers/tiny-dataset.js'

const config = (overrides: Record<string, unknown> = {}) =>
  RetrievalConfigSchema.parse({
    dim: 16,
    'user-encoder': 'transformer',
    'history-length': 6,
    'user-id': false,
    blocks: 2,
    heads: 2,
    dropout: 0.1,
    epochs: 8,
    'batch-size': 16,
    lr: 0.01,
    temperature: 0.1,
    patience: 8,
    ks: [5, 10],
    backend: 'wasm',
    ...overrides,
  })

const history: UserHistory = {offsets: Int32Array.from([0, 3, 10]), items: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), ts: new Float64Array(10)}

describe('sequence windows and batches', () => {
  it('every train item but each user first is a target once; inputs are the items just before', () => {
    const windows = buildSequenceWindows(history, 4)
    // user 0: one window (targets 2, 3); user 1: ends 10 and 6 (targets 7..10, then 5, 6)
    expect(Array.from(windows.user)).toEqual([0, 1, 1])
    expect(Array.from(windows.end)).toEqual([3, 10, 6])
    expect(windows.targets).toBe(2 + 6)
    const plan: SequencePlan = {batchSize: 3, length: 4, nItems: 11, softmax: 'full', negatives: 0, sampler: 'uniform', cumulative: targetDistribution(windows, 11), logq: false}
    const batch = makeSequenceBatch(windows, Uint32Array.from([0, 1, 2]), 0, plan, new Rng(1))
    expect(Array.from(batch.inputs)).toEqual([PAD, PAD, 1, 2, 6, 7, 8, 9, PAD, PAD, 4, 5])
    expect(Array.from(batch.positions)).toEqual([2, 3, 4, 5, 6, 7, 10, 11])
    // full softmax: columns are rows 1..10, a target t sits in column t - 1
    expect(Array.from(batch.positives, (c) => batch.columns[c])).toEqual([2, 3, 7, 8, 9, 10, 5, 6])
  })

  it('sampled softmax: the targets plus K drawn negatives as distinct columns with counts and logQ', () => {
    const windows = buildSequenceWindows(history, 4)
    for (const sampler of ['uniform', 'popularity', 'mixed'] as const) {
      const plan: SequencePlan = {batchSize: 3, length: 4, nItems: 11, softmax: 'sampled', negatives: 5, sampler, cumulative: targetDistribution(windows, 11), logq: true}
      const batch = makeSequenceBatch(windows, Uint32Array.from([0, 1, 2]), 0, plan, new Rng(2))
      expect(batch.counts.reduce((a, b) => a + b, 0)).toBe(8 + 5)
      expect(Array.from(batch.positives, (c) => batch.columns[c])).toEqual([2, 3, 7, 8, 9, 10, 5, 6])
      expect(batch.columns.every((c) => c >= 1 && c <= 10)).toBe(true)
      expect(batch.logQ?.every(Number.isFinite)).toBe(true)
    }
  })
})

describe('transformer encoder training', () => {
  let dataset: string
  beforeAll(async () => {
    dataset = await writeTinyDataset(tempDir())
    await initBackend('wasm')
  })

  it('keeps tf.memory().numTensors flat across steps (full and sampled softmax)', async () => {
    const data = await readDataset(dataset)
    const inputs = fitInputs(data)
    const positives = selectPositives(data.interactions, inputs.users, inputs.items, {events: {click: 1}})
    const trainHistory = buildHistory(positives, inputs.users.size, [0])
    const windows = buildSequenceWindows(trainHistory, 6)
    for (const softmax of ['full', 'sampled'] as const) {
      const cfg = config({'user-id': true, 'tower-layers': [8]})
      const rng = new Rng(1)
      const model = createTwoTower(cfg, inputs.users.size, inputs.items.size, inputs.userFeatures, inputs.itemFeatures, rng)
      const adam = new DenseAdam({learningRate: 0.01})
      const plan: SequencePlan = {batchSize: 8, length: 6, nItems: inputs.items.size, softmax, negatives: 7, sampler: 'mixed', cumulative: targetDistribution(windows, inputs.items.size), logq: true}
      const order = epochOrder(windows.user.length, rng)
      sequenceStep(model, makeSequenceBatch(windows, order, 0, plan, rng), adam)
      const before = tf.memory().numTensors
      for (let i = 1; i < 6; i++) sequenceStep(model, makeSequenceBatch(windows, order, (i * 8) % (windows.user.length - 8), plan, rng), adam)
      expect(tf.memory().numTensors).toBe(before)
    }
  })

  it('learns the planted groups, and its checkpoint loads and evaluates to the same val metrics', async () => {
    const out = join(tempDir(), 'ckpt')
    const result = await trainRetrieval({dataset, out, config: config({epochs: 20, lr: 0.03, 'batch-size': 8, patience: 20})})
    expect(result.metrics['val.recall@5']).toBeGreaterThan(result.popularBaseline['val.recall@5'] + 0.1)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.arch).toBe('two-tower/transformer')
    const data = await readDataset(dataset)
    const loaded = await loadTwoTower(out, data)
    const positives = selectPositives(data.interactions, loaded.inputs.users, loaded.inputs.items, {events: data.manifest.positives})
    const task = buildRankingTask(positives, loaded.inputs.users.size, 'val')
    const again = await evaluateTwoTower(loaded.model, task, [5, 10])
    expect(again.mean['recall@5']).toBeCloseTo(result.metrics['val.recall@5'], 6)
  })

  it('is deterministic: same seed, same checkpoint bytes (dropout and sampled negatives included)', async () => {
    const [a, b] = [join(tempDir(), 'a'), join(tempDir(), 'b')]
    const cfg = config({epochs: 2, softmax: 'sampled', 'sampled-negatives': 8, 'negative-sampler': 'mixed', dropout: 0.3})
    await trainRetrieval({dataset, out: a, config: cfg})
    await trainRetrieval({dataset, out: b, config: cfg})
    expect(readFileSync(join(a, 'weights.safetensors')).equals(readFileSync(join(b, 'weights.safetensors')))).toBe(true)
    const c = join(tempDir(), 'c')
    await trainRetrieval({dataset, out: c, config: {...cfg, seed: 7}})
    expect(readFileSync(join(a, 'weights.safetensors')).equals(readFileSync(join(c, 'weights.safetensors')))).toBe(false)
  })
})
