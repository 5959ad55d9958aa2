// The content checkpoint end to end: train, round trip, rec eval beside random on a world where topics drive engagement, topK / similarItems, the CLI.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {getColumn} from '../../../src/lib/dataset/columns.js'
import {readDataset} from '../../../src/lib/dataset/store.js'
import {generateDataset} from '../../../src/lib/dataset/synthetic/generate.js'
import {runEval} from '../../../src/lib/eval/run-eval.js'
import {ContentConfigSchema} from '../../../src/lib/models/content/config.js'
import {fitContent} from '../../../src/lib/models/content/fit.js'
import type {ContentModel} from '../../../src/lib/models/content/model.js'
import {loadContentModel} from '../../../src/lib/models/content/persist.js'
import {ContentRecommender} from '../../../src/lib/models/content/recommender.js'
import {trainContent} from '../../../src/lib/training/train-content.js'
import {runCli, tempDir} from '../../helpers/cli.js'

let root: string
let world: string
let ckpt: string
const config = ContentConfigSchema.parse({'half-life-days': 7})

beforeAll(async () => {
  root = tempDir('rec-content-')
  world = join(root, 'world')
  // engagement follows the users' topic interests: titles and topics carry it
  await generateDataset(world, {params: {users: 250, items: 600, interactions: 25_000, topics: 6, seed: 7}})
  ckpt = join(root, 'ckpt')
  await trainContent({dataset: world, out: ckpt, config})
})

/** Cosine of two item rows from the CSR rows, the slow way. */
function cosine(model: ContentModel, a: Map<number, number>, row: number): number {
  let s = 0
  for (let e = model.rows.offsets[row]; e < model.rows.offsets[row + 1]; e++) s += (a.get(model.rows.terms[e]) ?? 0) * model.rows.values[e]
  return s
}

const rowVector = (model: ContentModel, row: number) => {
  const v = new Map<number, number>()
  for (let e = model.rows.offsets[row]; e < model.rows.offsets[row + 1]; e++) v.set(model.rows.terms[e], model.rows.values[e])
  return v
}

describe('content checkpoint', () => {
  it('round-trips: the loaded model is the fitted one, and training twice gives the same bytes', async () => {
    const dataset = await readDataset(world)
    const fitted = fitContent(dataset, world, config).model
    const {model, checkpoint} = await loadContentModel(ckpt)
    expect(checkpoint.manifest).toMatchObject({kind: 'content', arch: 'tfidf', dataset: {fingerprint: dataset.manifest.fingerprint}})
    expect((checkpoint.manifest.config as {columns: unknown}).columns).toEqual({text: ['title'], tokens: ['topic']})
    expect(model.vocab.terms).toEqual(fitted.vocab.terms)
    expect(model.vocab.idf).toEqual(fitted.vocab.idf)
    expect(model.vocab.df).toEqual(fitted.vocab.df)
    expect(model.vocab.documents).toBe(600)
    expect(model.rows).toEqual(fitted.rows)
    expect(model.columns).toEqual(fitted.columns)
    expect(model.items.ids).toEqual(fitted.items.ids)
    expect(model.halfLifeMs).toBe(7 * 86_400_000)
    const again = join(root, 'again')
    await trainContent({dataset: world, out: again, config})
    for (const file of ['weights.safetensors', 'manifest.json', 'vocab/content.terms.values.parquet', 'vocab/items.ids.parquet']) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(ckpt, file)))).toBe(true)
    }
  })

  it('is evaluated by rec eval like any checkpoint, well above random where topics drive engagement', async () => {
    const report = await runEval({dataset: world, models: [{kind: 'checkpoint', path: ckpt}, {kind: 'baseline', name: 'random'}], split: 'test', ks: [20, 50], protocol: {kind: 'full'}, resamples: 200})
    const [content, random] = Object.values(report.metrics)
    expect(report.models[0]).toMatchObject({arch: 'tfidf'})
    expect(content['recall@50']).toBeGreaterThan(2 * random['recall@50'])
    expect(content['ndcg@20']).toBeGreaterThan(random['ndcg@20'])
    expect(report.comparison?.metrics['recall@50']?.delta).toBeLessThan(0) // B (random) - A (content)
  })

  it('recommends from a history by cosine, never a seen or excluded item, and finds similar items', async () => {
    const {model} = await loadContentModel(ckpt)
    const recommender = new ContentRecommender(model)
    const history = {itemIds: [model.items.ids[3], model.items.ids[40], model.items.ids[41]], ts: [0, 86_400_000, 2 * 86_400_000]}
    const excluded = model.items.ids[100]
    const top = recommender.topK(history, 20, [excluded])
    expect(top).toHaveLength(20)
    const seen = new Set([...history.itemIds, excluded])
    expect(top.some((s) => seen.has(s.itemId))).toBe(false)
    for (let j = 1; j < top.length; j++) expect(top[j].score).toBeLessThanOrEqual(top[j - 1].score)
    // the same scores as a dense cosine against the profile, and nothing better left out
    const profile = recommender.profile(history)
    const dense = new Map(Array.from({length: profile.n}, (_, k) => [profile.terms[k], profile.values[k]]))
    const all = Array.from({length: model.items.size - 1}, (_, r) => ({row: r + 1, score: cosine(model, dense, r + 1)})).filter((x) => !seen.has(model.items.id(x.row)!))
    all.sort((a, b) => b.score - a.score || a.row - b.row)
    top.forEach((s, j) => expect(s.score).toBeCloseTo(all[j].score, 5))
    expect(top[19].score).toBeGreaterThanOrEqual(all[20].score - 1e-6)

    const item = model.items.ids[10]
    const similar = recommender.similarItems(item, 5)
    expect(similar.map((s) => s.itemId)).not.toContain(item)
    const v = rowVector(model, 11)
    const best = Array.from({length: model.items.size - 1}, (_, r) => r + 1).filter((r) => r !== 11).map((r) => cosine(model, v, r)).sort((a, b) => b - a)[0]
    expect(similar[0].score).toBeCloseTo(best, 5)
    expect(() => recommender.similarItems(123n, 5)).toThrow(/not in the content model/)
  })

  it('refuses bad flags and missing columns with one line, and shows examples in --help', () => {
    const help = runCli(['train', 'content', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('rec train content --dataset data/ml100k --config config/content.yaml')
    expect(help.stdout).toContain('--half-life-days')
    const badDf = runCli(['train', 'content', '--dataset', world, '--out', join(root, 'x'), '--max-df', '2'])
    expect(badDf.code).toBe(2)
    expect(badDf.stderr).toMatch(/^rec: error: Parsing --max-df: "2" is not a number > 0 and <= 1\n$/)
    const noColumns = runCli(['train', 'content', '--dataset', world, '--out', join(root, 'y'), '--text-columns', 'body', '--token-columns', 'tags'])
    expect(noColumns.code).toBe(2)
    expect(noColumns.stderr).toMatch(/^rec: error: .*none of the configured content columns \(body, tags\)/)
    const ok = runCli(['train', 'content', '--dataset', world, '--out', join(root, 'cli'), '--token-columns', 'topic', '--json'])
    expect(ok.code).toBe(0)
    const result = JSON.parse(ok.stdout)
    expect(result.columns).toEqual({text: ['title'], tokens: ['topic'], missing: ['description']})
    expect(result.metrics['val.recall@10']).toBeGreaterThanOrEqual(0)
    const evalRun = runCli(['eval', '--dataset', world, '--ckpt', join(root, 'cli'), '--json'])
    expect(evalRun.code).toBe(0)
    expect(Object.keys(JSON.parse(evalRun.stdout).metrics)[0]).toContain('cli')
  })

  it('writes the item ids the dataset has', async () => {
    const {model} = await loadContentModel(ckpt)
    const dataset = await readDataset(world)
    expect([...model.items.ids]).toEqual([...getColumn(dataset.items, 'item_id', 'int64').values].sort((a, b) => (a < b ? -1 : 1)))
  })
})
