import {existsSync, readFileSync} from 'node:fs'
import {availableParallelism} from 'node:os'
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
import {loadTwoTower} from '../../src/lib/models/two-tower/load.js'
import {createTwoTower} from '../../src/lib/models/two-tower/model.js'
import {Rng} from '../../src/lib/random/rng.js'
import {epochOrder, makeBatch} from '../../src/lib/training/retrieval-batches.js'
import {buildRetrievalExamples, itemLogFrequency} from '../../src/lib/training/retrieval-examples.js'
import {resolveWorkers} from '../../src/lib/training/retrieval-replicas.js'
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
    // a YAML value is checked by the schema itself, since no flag parser sees it
    const zeroWorkers = join(dir, 'zero-workers.yaml')
    writeFileSync(zeroWorkers, 'workers: 0\n')
    const cases: [string[], RegExp][] = [
      [['--dataset', join(dir, 'missing'), '--out', join(dir, 'o1')], /does not exist/],
      [['--dataset', dataset, '--out', join(dir, 'o2'), '--config', badConfig], /unknown config key "epochz"/],
      [['--dataset', dataset, '--out', join(dir, 'o3'), '--batch-size', '100000'], /larger than the \d+ train examples/],
      [['--dataset', trainOnly, '--out', join(dir, 'o4'), '--batch-size', '8'], /no user has a val target/],
      [['--dataset', dataset, '--out', join(dir, 'o5'), '--init-from', dataset], /not a rec checkpoint/],
      [['--dataset', dataset, '--out', join(dir, 'o6'), '--workers', 'many'], /--workers: "many" is not "auto" or an integer from 1 to 16/],
      [['--dataset', dataset, '--out', join(dir, 'o7'), '--workers', '0'], /--workers: "0" is not "auto" or an integer from 1 to 16/],
      [['--dataset', dataset, '--out', join(dir, 'o8'), '--config', zeroWorkers], /zero-workers\.yaml: config key "workers"/],
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

describe('data-parallel training (workers)', () => {
  // An MLP, a numeric item feature, extra negatives and a sequence encoder: every dense and sparse path crosses threads.
  const parallel = (workers: number, overrides: Record<string, unknown> = {}) =>
    config({epochs: 3, patience: 10, workers, 'tower-layers': [8], 'user-encoder': 'attention', 'history-length': 6, 'random-negatives': 4, 'hard-negatives': 1, ...overrides})

  it('2 workers train the same algorithm as 1, write a loadable checkpoint, and repeat to the byte', async () => {
    const dir = tempDir()
    const dataset = await writeTinyDataset(dir)
    const [a, b, one] = [join(dir, 'a'), join(dir, 'b'), join(dir, 'one')]
    const first = await trainRetrieval({dataset, out: a, config: parallel(2)})
    await trainRetrieval({dataset, out: b, config: parallel(2)})
    const single = await trainRetrieval({dataset, out: one, config: parallel(1)})
    expect(readFileSync(join(a, 'weights.safetensors')).equals(readFileSync(join(b, 'weights.safetensors')))).toBe(true)
    // Only the float summation order differs from one thread: the first epoch's loss agrees to rounding.
    expect(first.epochs[0].loss).toBeCloseTo(single.epochs[0].loss, 4)
    expect(readFileSync(join(a, 'weights.safetensors')).equals(readFileSync(join(one, 'weights.safetensors')))).toBe(false)
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'))
    expect(manifest.config.workers).toBe(2)
    const loaded = await loadTwoTower(a, await readDataset(dataset))
    expect(loaded.model.config['user-encoder']).toBe('attention')
  })

  it('resumes an interrupted 2-worker run to the bytes of an uninterrupted one', async () => {
    const dir = tempDir()
    const dataset = await writeTinyDataset(dir)
    const full = join(dir, 'full')
    await trainRetrieval({dataset, out: full, config: parallel(2, {'user-encoder': 'mean'})})
    const partial = join(dir, 'partial')
    await trainRetrieval({dataset, out: partial, config: parallel(2, {'user-encoder': 'mean'}), stopAfterEpoch: 1})
    await trainRetrieval({dataset, out: partial, config: parallel(2, {'user-encoder': 'mean'}), resume: true})
    expect(readFileSync(join(partial, 'weights.safetensors')).equals(readFileSync(join(full, 'weights.safetensors')))).toBe(true)
    // The thread count may change on resume (the same algorithm): a 2-thread pause finishes on 1.
    const other = join(dir, 'other')
    await trainRetrieval({dataset, out: other, config: parallel(2, {'user-encoder': 'mean'}), stopAfterEpoch: 1})
    const resumed = await trainRetrieval({dataset, out: other, config: parallel(1, {'user-encoder': 'mean'}), resume: true})
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3])
  })

  it("'auto' uses 2 threads only for runs long enough to repay them, and never on tfjs-node", () => {
    expect(resolveWorkers(3, 'wasm', 10, 1)).toBe(3)
    expect(resolveWorkers('auto', 'wasm', 400, 6)).toBe(1)
    expect(resolveWorkers('auto', 'wasm', 98_000, 3)).toBe(Math.min(2, availableParallelism()))
    expect(resolveWorkers('auto', 'tensorflow', 98_000, 3)).toBe(1)
  })
})
