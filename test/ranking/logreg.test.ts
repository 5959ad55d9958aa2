// The logreg ranker: trained by gradient descent on a planted linear signal (loss falls, signs recovered), weights by name, rec eval --ranker.
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {loadCheckpoint} from '../../src/lib/checkpoint/checkpoint-io.js'
import {toDict} from '../../src/lib/dataset/columns.js'
import {writeDataset} from '../../src/lib/dataset/store.js'
import {initBackend} from '../../src/lib/engine/backend.js'
import {RankingConfigSchema} from '../../src/lib/models/ranker/config.js'
import {loadRanker} from '../../src/lib/models/ranker/load.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {trainRanking, type TrainRankingResult} from '../../src/lib/training/ranking/train-ranking.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {Rng} from '../../src/lib/random/rng.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {writeWorld} from './fixtures.js'

const CLICK = {bias: -0.5, x: 1.5, y: -1}

/**
 * Impressions and clicks where P(click) = sigmoid(-0.5 + 1.5 x_item - 1 y_user), x and y standard
 * normal numeric features; an item colour that carries nothing. Split by time: 70 / 15 / 15%.
 */
async function writePlanted(dir: string): Promise<string> {
  const rng = new Rng(17)
  const nUsers = 120
  const nItems = 150
  const y = Float32Array.from({length: nUsers}, () => rng.normal())
  const x = Float32Array.from({length: nItems}, () => rng.normal())
  const rows: {u: number; i: number; ts: number; event: string}[] = []
  const start = Date.UTC(2024, 0, 1)
  for (let k = 0; k < 12_000; k++) {
    const u = rng.int(nUsers)
    const i = rng.int(nItems)
    const ts = start + k * 60_000
    rows.push({u, i, ts, event: 'impression'})
    const p = 1 / (1 + Math.exp(-(CLICK.bias + CLICK.x * x[i] + CLICK.y * y[u])))
    if (rng.next() < p) rows.push({u, i, ts: ts + 1000, event: 'click'})
  }
  const cut = (q: number) => start + Math.floor(q * 12_000) * 60_000
  const [valStart, testStart] = [cut(0.7), cut(0.85)]
  // a click belongs to its impression's split (it is 1 s later, never across a cut-off)
  const split = rows.map((r) => (r.ts < valStart ? 'train' : r.ts < testStart ? 'val' : 'test'))
  const out = join(dir, 'planted')
  await writeDataset(out, {
    name: 'planted',
    source: {kind: 'generator', params: CLICK, seed: 17},
    split: {method: 'temporal-global', valFrac: 0.15, testFrac: 0.15, valStartMs: valStart, testStartMs: testStart},
    users: {user_id: {type: 'int64', values: BigInt64Array.from({length: nUsers}, (_, u) => BigInt(1 + u))}, y: {type: 'float32', values: y}},
    items: {
      item_id: {type: 'int64', values: BigInt64Array.from({length: nItems}, (_, i) => BigInt(500 + i))},
      x: {type: 'float32', values: x},
      color: toDict(Array.from({length: nItems}, (_, i) => ['red', 'green', 'blue'][i % 3])),
    },
    interactions: {
      user_id: {type: 'int64', values: BigInt64Array.from(rows, (r) => BigInt(1 + r.u))},
      item_id: {type: 'int64', values: BigInt64Array.from(rows, (r) => BigInt(500 + r.i))},
      ts: {type: 'timestamp_ms', values: Float64Array.from(rows, (r) => r.ts)},
      event: toDict(rows.map((r) => r.event)),
      weight: {type: 'float32', values: new Float32Array(rows.length).fill(1)},
      split: toDict(split, ['train', 'val', 'test']),
    },
    positives: {click: 1},
  })
  return out
}

let root: string
let planted: string
let result: TrainRankingResult

beforeAll(async () => {
  await initBackend('wasm')
  root = tempDir('rec-logreg-')
  planted = await writePlanted(root)
  // no ids and no cross features: the weights of x and y are the only way to the signal
  const config = RankingConfigSchema.parse({arch: 'logreg', 'id-embeddings': false, 'cross-features': false, safety: false, epochs: 8, patience: 8, lr: 0.01, 'batch-size': 256, backend: 'wasm'})
  result = await trainRanking({dataset: planted, out: join(root, 'ckpt'), config})
}, 120_000)

describe('logreg ranker', () => {
  it('trains by gradient descent: the loss falls epoch after epoch', () => {
    const losses = result.epochs.map((e) => e.loss)
    expect(losses.length).toBe(8)
    expect(losses.at(-1)!).toBeLessThan(losses[0] - 0.01)
    for (let e = 1; e < losses.length; e++) expect(losses[e]).toBeLessThan(losses[e - 1])
    expect(result.metrics['val.auc/click']).toBeGreaterThan(0.7)
  })

  it('recovers the planted weights in sign (and roughly in size: inputs are standardised, x and y have std 1)', () => {
    const weights = result.featureWeights!
    expect(weights.heads).toEqual(['click'])
    const w = Object.fromEntries(weights.dense.map((d) => [d.feature, d.weights.click]))
    expect(Object.keys(w).sort()).toEqual(['items.x', 'users.y'])
    expect(w['items.x']).toBeGreaterThan(1)
    expect(w['items.x']).toBeLessThan(2)
    expect(w['users.y']).toBeLessThan(-0.6)
    expect(w['users.y']).toBeGreaterThan(-1.4)
    expect(weights.bias.click).toBeLessThan(0)
    // the colour carries nothing: its values' weights stay far smaller than x's
    const color = weights.categorical.find((c) => c.feature === 'items.color')!
    expect(color.values).toBe(3)
    expect(color.weights!.map((v) => v.value).sort()).toEqual(['blue', 'green', 'red'])
    for (const v of color.weights!) expect(Math.abs(v.weights.click)).toBeLessThan(0.3)
  })

  it('lists the weights by name in the checkpoint, which loads back to the same model', async () => {
    const checkpoint = await loadCheckpoint(join(root, 'ckpt'), 'ranking')
    expect(checkpoint.manifest.arch).toBe('logreg')
    const config = checkpoint.manifest.config as {ranker: {featureWeights: unknown}; 'tower-width': number; 'history-length': number}
    expect(config.ranker.featureWeights).toEqual(result.featureWeights)
    expect(config['tower-width']).toBe(0)
    expect(config['history-length']).toBe(0)
    expect(checkpoint.tensors.get('head.click.0.kernel')).toMatchObject({shape: [2, 1]})
    expect(checkpoint.tensors.get('items.color.embedding')).toMatchObject({shape: [4, 1]})
    const w = checkpoint.tensors.get('head.click.0.kernel')!.data as Float32Array
    const x = result.featureWeights!.dense.findIndex((d) => d.feature === 'items.x')
    expect(w[x]).toBeCloseTo(result.featureWeights!.dense[x].weights.click, 5)
    const loaded = await loadRanker(join(root, 'ckpt'), await readDataset(planted), {backend: 'wasm'})
    expect(loaded.model.dim).toBe(1)
    expect(loaded.model.slots.map((s) => s.table.name)).toEqual(['items.color.embedding'])
  })

  it('refuses --init-from-retrieval, which has no embeddings to copy into', async () => {
    const config = RankingConfigSchema.parse({arch: 'logreg', 'init-from-retrieval': join(root, 'nowhere'), backend: 'wasm'})
    await expect(trainRanking({dataset: planted, out: join(root, 'x'), config})).rejects.toThrow(/logreg has none/)
  })

  it('is a second stage of rec eval --ranker, reported with its weights', async () => {
    const world = await writeWorld(root, {users: 80, items: 300, interactions: 6000})
    const retrieval = join(root, 'retrieval')
    await trainRetrieval({dataset: world, out: retrieval, config: RetrievalConfigSchema.parse({dim: 16, epochs: 1, 'batch-size': 128, ks: [10], backend: 'wasm'})})
    const ranker = join(root, 'world-logreg')
    const train = runCli(['train', 'ranking', '--dataset', world, '--arch', 'logreg', '--epochs', '2', '--batch-size', '256', '--no-safety', '--backend', 'wasm', '--out', ranker, '--json'])
    expect(train.code).toBe(0)
    expect(train.stderr).toMatch(/logreg weights on click \(logit per standard deviation/)
    const report = runCli(['eval', '--dataset', world, '--ckpt', retrieval, '--ranker', ranker, '--candidates', '40', '--k', '5,20'])
    expect(report.code).toBe(0)
    expect(report.stderr).toMatch(/ranker .*world-logreg.* logreg, fusion click 1\.000/)
    expect(report.stderr).toContain('logreg weights (dense: logit per standard deviation')
    expect(report.stderr).toMatch(/cross\.topic_share +[+-]\d\.\d{3}/)
    const json = JSON.parse(runCli(['eval', '--dataset', world, '--ckpt', retrieval, '--ranker', ranker, '--candidates', '40', '--k', '5,20', '--json']).stdout)
    expect(json.ranker.arch).toBe('logreg')
    expect(json.ranker.featureWeights.dense.map((d: {feature: string}) => d.feature)).toContain('cross.topic_share')
    expect(json.models.map((m: {label: string}) => m.label)).toEqual(['retrieval', 'retrieval > ranker'])
  })
})
