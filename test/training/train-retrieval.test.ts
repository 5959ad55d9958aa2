import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {DenseAdam} from '../../src/lib/engine/dense-adam.js'
import {initBackend} from '../../src/lib/engine/backend.js'
import {buildHistory} from '../../src/lib/features/history.js'
import {selectPositives} from '../../src/lib/features/positives.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {fitInputs} from '../../src/lib/models/two-tower/inputs.js'
import {createTwoTower} from '../../src/lib/models/two-tower/model.js'
import {Rng} from '../../src/lib/random/rng.js'
import {epochOrder, makeBatch} from '../../src/lib/training/retrieval-batches.js'
import {buildRetrievalExamples, itemLogFrequency} from '../../src/lib/training/retrieval-examples.js'
import {retrievalStep} from '../../src/lib/training/retrieval-step.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {writeTinyDataset} from '../helpers/tiny-dataset.js'

const config = (overrides: Record<string, unknown> = {}) =>
  RetrievalConfigSchema.parse({dim: 16, epochs: 6, 'batch-size': 32, lr: 0.05, temperature: 0.1, patience: 6, ks: [5, 10], backend: 'wasm', ...overrides})

describe('trainRetrieval', () => {
  let dataset: string
  beforeAll(async () => {
    dataset = await writeTinyDataset(tempDir())
  })

  it('learns the planted groups: val recall@5 above the most-popular ranking', async () => {
    const out = join(tempDir(), 'ckpt')
    const result = await trainRetrieval({dataset, out, config: config()})
    expect(result.metrics['val.recall@5']).toBeGreaterThan(result.popularBaseline['val.recall@5'] + 0.1)
    expect(result.epochs.length).toBeGreaterThan(0)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.kind).toBe('retrieval')
    expect(manifest.backend).toBe('wasm')
    expect(manifest.bestEpoch).toBe(result.bestEpoch)
  })

  it.each(['gru', 'attention'] as const)('trains the %s user encoder', async (encoder) => {
    const result = await trainRetrieval({dataset, out: join(tempDir(), 'ckpt'), config: config({'user-encoder': encoder, epochs: 3, 'history-length': 8})})
    expect(result.metrics['val.recall@10']).toBeGreaterThan(0)
    expect(Number.isFinite(result.epochs[0].loss)).toBe(true)
  })

  it('is deterministic: same seed, same weight bytes', async () => {
    const a = join(tempDir(), 'a')
    const b = join(tempDir(), 'b')
    await trainRetrieval({dataset, out: a, config: config({epochs: 2, 'random-negatives': 4, 'hard-negatives': 1})})
    await trainRetrieval({dataset, out: b, config: config({epochs: 2, 'random-negatives': 4, 'hard-negatives': 1})})
    expect(readFileSync(join(a, 'weights.safetensors')).equals(readFileSync(join(b, 'weights.safetensors')))).toBe(true)
  })

  it('keeps tf.memory().numTensors flat across steps', async () => {
    await initBackend('wasm')
    const data = await readDataset(dataset)
    const inputs = fitInputs(data)
    const positives = selectPositives(data.interactions, inputs.users, inputs.items, {events: {click: 1}})
    const history = buildHistory(positives, inputs.users.size, [0])
    const examples = buildRetrievalExamples(positives, history)
    const cfg = config({'tower-layers': [8], 'user-encoder': 'gru', 'history-length': 4})
    const rng = new Rng(1)
    const model = createTwoTower(cfg, inputs.users.size, inputs.items.size, inputs.userFeatures, inputs.itemFeatures, rng)
    const adam = new DenseAdam({learningRate: 0.01})
    const plan = {batchSize: 16, historyLength: 4, nItems: inputs.items.size, randomNegatives: 3, logFrequency: itemLogFrequency(examples, inputs.items.size)}
    const order = epochOrder(examples.user.length, rng)
    retrievalStep(model, makeBatch(examples, order, 0, plan, rng), adam)
    const before = tf.memory().numTensors
    for (let i = 1; i < 10; i++) retrievalStep(model, makeBatch(examples, order, i * 16, plan, rng), adam)
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('rec train retrieval (CLI)', () => {
  it('rejects bad input with exit 2 and one line', async () => {
    const dir = tempDir()
    const dataset = await writeTinyDataset(dir)
    const trainOnly = await writeTinyDataset(join(dir, 'x'), {trainOnly: true})
    const badConfig = join(dir, 'bad.yaml')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(badConfig, 'epochz: 3\n')
    const cases: [string[], RegExp][] = [
      [['--dataset', join(dir, 'missing'), '--out', join(dir, 'o1')], /does not exist/],
      [['--dataset', dataset, '--out', join(dir, 'o2'), '--config', badConfig], /unknown config key "epochz"/],
      [['--dataset', dataset, '--out', join(dir, 'o3'), '--batch-size', '100000'], /larger than the \d+ train examples/],
      [['--dataset', trainOnly, '--out', join(dir, 'o4'), '--batch-size', '8'], /no user has a val target/],
      [['--dataset', dataset, '--out', join(dir, 'o5'), '--init-from', dataset], /not a rec checkpoint/],
    ]
    for (const [args, message] of cases) {
      const result = runCli(['train', 'retrieval', ...args])
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).toMatch(message)
    }
  })
})

describe('--resume', () => {
  it('continues an interrupted run to the same weights as an uninterrupted one', async () => {
    const dir = tempDir()
    const dataset = await writeTinyDataset(dir)
    const full = join(dir, 'full')
    await trainRetrieval({dataset, out: full, config: config({epochs: 4, patience: 10})})
    // Pause after epoch 2 (as a killed run would leave it), then resume to the end.
    const partial = join(dir, 'partial')
    await trainRetrieval({dataset, out: partial, config: config({epochs: 4, patience: 10}), stopAfterEpoch: 2})
    expect(existsSync(`${partial}.resume`)).toBe(true)
    expect(existsSync(partial)).toBe(false)
    await trainRetrieval({dataset, out: partial, config: config({epochs: 4, patience: 10}), resume: true})
    expect(existsSync(`${partial}.resume`)).toBe(false)
    expect(readFileSync(join(partial, 'weights.safetensors')).equals(readFileSync(join(full, 'weights.safetensors')))).toBe(true)
  })
})
